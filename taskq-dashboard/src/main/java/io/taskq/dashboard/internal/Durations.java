package io.taskq.dashboard.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as people type them in the dashboard's forms: {@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}, ISO-8601. */
final class Durations {
    private Durations() {
    }

    /** The duration, or null for null; 400 naming the field if it is not one or not positive. */
    static Duration parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new NumberFormatException();
                };
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw ApiException.badRequest(field + ": not a duration: '" + text + "' (use 90s, 15m, 2h, 7d or PT15M)");
        }
        if (d.isNegative() || d.isZero()) {
            throw ApiException.badRequest(field + " must be positive, was " + text);
        }
        return d;
    }
}
