package io.taskq;

import io.taskq.internal.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * When a failed attempt is tried again, and after how long: a number of retries, an exponential backoff with
 * jitter, and the exceptions that may be retried. Immutable and thread-safe; equal when their
 * {@link #config() configs} are.
 *
 * <p>Each task has one. By default it is made from the task's {@link Task} attributes ({@code maxRetries},
 * {@code backoff}, {@code backoffMultiplier}, {@code backoffMax}, {@code backoffJitter}, {@code retryOn},
 * {@code noRetryOn}); {@link Taskq.Builder#retryPolicy(String, RetryPolicy)} sets one for a task by name, and
 * {@link Taskq.Builder#retryPolicy(RetryPolicy)} one for the tasks whose {@code @Task} sets none of those attributes.
 *
 * <pre>{@code
 * RetryPolicy patient = RetryPolicy.builder()
 *         .maxRetries(10)
 *         .backoff(Duration.ofSeconds(5)).backoffMultiplier(3).backoffMax(Duration.ofHours(1))
 *         .retryOn(IOException.class)
 *         .build();
 * }</pre>
 */
public final class RetryPolicy {
    private static final RetryPolicy NONE = builder().build();

    private final RetryPolicyConfig config;
    private final Backoff backoff;

    RetryPolicy(RetryPolicyConfig config) {
        this.config = config;
        this.backoff = new Backoff(config.backoff(), config.backoffMultiplier(), config.backoffMax(),
                config.backoffJitter());
    }

    /** A builder starting from the {@link Task} defaults. */
    public static RetryPolicyBuilder builder() {
        return new RetryPolicyBuilder();
    }

    /** A builder starting from {@code config} (values checked as by the setters). */
    public static RetryPolicyBuilder builder(RetryPolicyConfig config) {
        return new RetryPolicyBuilder(Objects.requireNonNull(config, "config"));
    }

    /** The policy of a {@link Task} that sets no retry attribute: a failure is final. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** What this policy is made of. */
    public RetryPolicyConfig config() {
        return config;
    }

    /** A builder starting from this policy, to make a changed copy. */
    public RetryPolicyBuilder toBuilder() {
        return builder(config);
    }

    /**
     * Whether an exception may be retried at all (retry count aside): not one of {@code noRetryOn}, and one of
     * {@code retryOn} unless that is empty.
     */
    public boolean isRetryable(Throwable error) {
        for (Class<? extends Throwable> c : config.noRetryOn()) {
            if (c.isInstance(error)) {
                return false;
            }
        }
        if (config.retryOn().isEmpty()) {
            return true;
        }
        for (Class<? extends Throwable> c : config.retryOn()) {
            if (c.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    /** The delay before retry number {@code retry} (0 for the first), jitter applied (so it varies by call). */
    public Duration delay(int retry) {
        return backoff.delay(retry);
    }

    /**
     * What to do after an attempt failed with {@code error} when {@code retries} retries were scheduled before it.
     * A {@link RetryTaskException} is always retryable (while retries are left) and its countdown, if it has one,
     * replaces the backoff.
     */
    public Decision decide(Throwable error, int retries) {
        Objects.requireNonNull(error, "error");
        Duration countdown = null;
        boolean retryable;
        if (error instanceof RetryTaskException rte) {
            countdown = rte.countdown();
            retryable = true;
        } else {
            retryable = isRetryable(error);
        }
        if (retryable && retries < config.maxRetries()) {
            return Decision.retryAfter(countdown != null ? countdown : delay(retries));
        }
        if (!retryable) {
            return Decision.giveUp("failed, not retryable");
        }
        return Decision.giveUp(config.maxRetries() == 0 ? "failed"
                : "failed after " + (retries + 1) + " attempts (max retries " + config.maxRetries() + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && p.config.equals(config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }

    @Override
    public String toString() {
        return "RetryPolicy" + config;
    }

    /**
     * The answer of {@link #decide}: retry after {@code delay}, or give up for {@code reason}.
     *
     * @param retry  whether another attempt is scheduled
     * @param delay  when retrying: the delay before the next attempt; null when giving up
     * @param reason when giving up: why, e.g. {@code failed after 4 attempts (max retries 3)}; null when retrying
     */
    public record Decision(boolean retry, Duration delay, String reason) {

        /** Checks that a retry has a delay and giving up a reason. */
        public Decision {
            if (retry ? delay == null || delay.isNegative() || reason != null : reason == null || delay != null) {
                throw new IllegalArgumentException("a retry needs a delay (not negative) and no reason, giving up a"
                        + " reason and no delay");
            }
        }

        /** Retry after {@code delay}. */
        public static Decision retryAfter(Duration delay) {
            return new Decision(true, delay, null);
        }

        /** Give up, for {@code reason}. */
        public static Decision giveUp(String reason) {
            return new Decision(false, null, reason);
        }
    }
}
