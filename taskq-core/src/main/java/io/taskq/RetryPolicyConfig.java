package io.taskq;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RetryPolicy} is made of, read back ({@link RetryPolicy#config()}) or copied into a new builder
 * ({@link RetryPolicy#builder(RetryPolicyConfig)}). The fields mean what the {@link Task} attributes of the same
 * names mean.
 *
 * @param maxRetries        retries after a failed attempt; 0: a failure is final
 * @param backoff           delay before the first retry
 * @param backoffMultiplier growth of the delay per retry, at least 1
 * @param backoffMax        upper bound of the delay
 * @param backoffJitter     share of the delay taken off at random, 0 to 1
 * @param retryOn           exceptions that are retried (with their subclasses); empty: every exception
 * @param noRetryOn         exceptions never retried, even if {@code retryOn} matches
 */
public record RetryPolicyConfig(int maxRetries, Duration backoff, double backoffMultiplier, Duration backoffMax,
                                double backoffJitter, List<Class<? extends Throwable>> retryOn,
                                List<Class<? extends Throwable>> noRetryOn) {

    /** Copies the lists; the values are checked by {@link RetryPolicyBuilder#build()}. */
    public RetryPolicyConfig {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(backoffMax, "backoffMax");
        retryOn = List.copyOf(retryOn);
        noRetryOn = List.copyOf(noRetryOn);
    }
}
