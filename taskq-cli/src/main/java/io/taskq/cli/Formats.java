package io.taskq.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the tables show times, durations and lists, and how the command line's durations are read. */
final class Formats {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Formats() {
    }

    /**
     * A duration as written on the command line: ISO-8601 ({@code PT15M}, {@code P1D}) or a number with a unit,
     * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 15m}, {@code 90s}), or several such
     * ({@code 1h30m}).
     *
     * @throws IllegalArgumentException if it is neither
     */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 15m, 90s, 1h30m, PT15M)");
            }
        }
        Matcher m = SHORT_DURATION.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 15m, 90s, 1h30m, PT15M)");
        }
        return total;
    }

    /** A duration as a person reads it: {@code 250ms}, {@code 42s}, {@code 15m}, {@code 2h5m}, {@code 3d4h}. */
    static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        Duration a = d.abs();
        String sign = d.isNegative() ? "-" : "";
        if (a.compareTo(Duration.ofSeconds(1)) < 0) {
            return sign + a.toMillis() + "ms";
        }
        if (a.compareTo(Duration.ofMinutes(1)) < 0) {
            return sign + a.toSeconds() + "s";
        }
        if (a.compareTo(Duration.ofHours(1)) < 0) {
            return sign + a.toMinutes() + "m" + nonZero(a.toSecondsPart(), "s");
        }
        if (a.compareTo(Duration.ofDays(1)) < 0) {
            return sign + a.toHours() + "h" + nonZero(a.toMinutesPart(), "m");
        }
        return sign + a.toDays() + "d" + nonZero(a.toHoursPart(), "h");
    }

    private static String nonZero(long n, String unit) {
        return n == 0 ? "" : n + unit;
    }

    /**
     * A rate as {@code RateLimit.parse} reads it, in the largest unit that divides its period: {@code 20/s},
     * {@code 600/m}, {@code 5/10s}, {@code 3/1500ms}. The burst is not part of the text.
     */
    static String rate(io.taskq.RateLimit rate) {
        long ms = rate.period().toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                long n = ms / sizes[i];
                return rate.permits() + "/" + (n == 1 ? "" : Long.toString(n)) + units[i];
            }
        }
        throw new IllegalStateException("unreachable: every period is a whole number of ms");
    }

    /** How long ago {@code then} was, seen at {@code now}: {@code 3s ago}, or {@code in 5m} for a future time. */
    static String ago(Instant then, Instant now) {
        if (then == null) {
            return "-";
        }
        Duration d = Duration.between(then, now);
        return d.isNegative() ? "in " + duration(d.negated()) : duration(d) + " ago";
    }

    /** An instant in UTC to the second, ISO-8601, or {@code -}. */
    static String instant(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A value for a table cell: {@code -} for null or blank, the text on one line otherwise. */
    static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        String s = value instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        s = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return s.isBlank() ? "-" : s;
    }

    /** The text cut to {@code max} characters, ending in an ellipsis when cut. */
    static String abbreviate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, Math.max(0, max - 1)) + "…";
    }
}
