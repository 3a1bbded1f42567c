package io.taskq.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: delay(n) = min(max, initial * multiplier^n), then a random share of it, up to
 * {@code jitter}, is taken off.
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {
    /** The bound of a backoff without one. */
    public static final Duration NO_MAX = Duration.ofDays(365);

    /** Validates the values. */
    public Backoff {
        if (initial == null) {
            initial = Duration.ZERO;
        }
        if (max == null) {
            max = NO_MAX;
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff jitter must be within 0..1, was " + jitter);
        }
    }

    /** The delay before retry number {@code retry} (0 for the first retry), without jitter. */
    public Duration base(int retry) {
        double ms = initial.toMillis() * Math.pow(multiplier, retry);
        return Duration.ofMillis((long) Math.min(ms, max.toMillis()));
    }

    /** The delay before retry number {@code retry}, jitter applied. */
    public Duration delay(int retry) {
        long base = base(retry).toMillis();
        long off = (long) (base * jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(base - off);
    }
}
