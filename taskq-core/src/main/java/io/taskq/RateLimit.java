package io.taskq;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit enforced across all workers: at most {@code permits} task starts per {@code period}, evenly spaced
 * (one every {@code period / permits}), with up to {@code burst} starts at once after a quiet time. The broker keeps
 * it as a GCRA (generic cell rate algorithm, the token bucket's exact form) in the claim: a task over its limit stays
 * queued, is not claimed and does not hold up the tasks behind it. See docs/limits.md.
 *
 * <pre>{@code
 * RateLimit.parse("100/s");                                  // 100 per second, one every 10 ms
 * RateLimit.of(600, Duration.ofMinutes(1)).withBurst(20);    // 600 per minute, bursts of 20
 * }</pre>
 *
 * @param permits starts per period, at least 1
 * @param period  the period, at least 1 ms
 * @param burst   starts allowed at once, at least 1 (1: evenly spaced, as Celery's {@code rate_limit})
 */
public record RateLimit(long permits, Duration period, int burst) {
    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)");

    /** Validates the fields. */
    public RateLimit {
        if (permits < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 permit, was " + permits);
        }
        if (period == null || period.toMillis() < 1) {
            throw new IllegalArgumentException("a rate limit's period must be at least 1 ms, was " + period);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("a rate limit's burst must be at least 1, was " + burst);
        }
        if (period.toNanos() / permits < 1000) {
            throw new IllegalArgumentException("a rate limit may allow at most one start per microsecond, was "
                    + permits + " per " + period);
        }
    }

    /** {@code permits} starts per {@code period}, evenly spaced (burst 1). */
    public static RateLimit of(long permits, Duration period) {
        return new RateLimit(permits, period, 1);
    }

    /**
     * Parses {@code "<permits>/<unit>"} or {@code "<permits>/<n><unit>"}, unit {@code ms}, {@code s}, {@code m},
     * {@code h} or {@code d}: {@code "100/s"}, {@code "10/m"}, {@code "5/10s"}.
     *
     * @throws IllegalArgumentException if the text is not a rate
     */
    public static RateLimit parse(String text) {
        Matcher m = TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate limit (use e.g. 100/s, 10/m, 5/10s)");
        }
        long n = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration unit = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return of(Long.parseLong(m.group(1)), unit.multipliedBy(n));
    }

    /** This rate with bursts of up to {@code burst} starts at once. */
    public RateLimit withBurst(int burst) {
        return new RateLimit(permits, period, burst);
    }

    /** The time between two starts at the sustained rate, in microseconds (at least 1). */
    public long intervalMicros() {
        return Math.max(1, period.toNanos() / 1000 / permits);
    }

    @Override
    public String toString() {
        return permits + "/" + period.toMillis() + "ms" + (burst > 1 ? " burst " + burst : "");
    }
}
