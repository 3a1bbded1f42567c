package io.taskq.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration strings of {@link io.taskq.Task}: "500ms", "30s", "5m", "2h", "1d" or ISO-8601. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** Parses a duration; an empty string gives null. */
    public static Duration parse(String text, String what) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        Matcher m = SHORT.matcher(t);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(what + ": '" + text
                        + "' is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1d or PT30S)");
            }
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + ": '" + text + "' is negative");
        }
        return d;
    }
}
