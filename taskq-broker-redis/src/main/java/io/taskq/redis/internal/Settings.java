package io.taskq.redis.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Validation shared by the broker's and the schedule store's builders. The key-prefix rule must be one rule: it is
 * what keeps the hash tags {@code {prefix:queue}} and {@code {prefix}} of two environments from ever colliding.
 */
public final class Settings {
    private Settings() {
    }

    /** The prefix, if it is non-empty and only letters, digits, '.', '_' and '-'. */
    public static String keyPrefix(String prefix) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("key prefix must be non-empty [A-Za-z0-9._-]: " + prefix);
        }
        return prefix;
    }

    /** The duration, if it is positive. */
    public static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    /** The schedule store's audit cap, if it is positive. */
    public static int auditMaxCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("auditMaxCount must be positive");
        }
        return n;
    }
}
