package io.taskq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link RetryPolicy}; starts from the {@link Task} defaults (no retries; backoff 1 s, ×2, at most 10 min,
 * jitter 0.5; every exception retryable). Setters check their value at once; not thread-safe.
 */
public final class RetryPolicyBuilder {
    private int maxRetries;
    private Duration backoff = Duration.ofSeconds(1);
    private double backoffMultiplier = 2.0;
    private Duration backoffMax = Duration.ofMinutes(10);
    private double backoffJitter = 0.5;
    private final List<Class<? extends Throwable>> retryOn = new ArrayList<>();
    private final List<Class<? extends Throwable>> noRetryOn = new ArrayList<>();

    RetryPolicyBuilder() {
    }

    RetryPolicyBuilder(RetryPolicyConfig c) {
        maxRetries(c.maxRetries()).backoff(c.backoff()).backoffMultiplier(c.backoffMultiplier())
                .backoffMax(c.backoffMax()).backoffJitter(c.backoffJitter());
        retryOn.addAll(c.retryOn());
        noRetryOn.addAll(c.noRetryOn());
    }

    /** Retries after a failed attempt (default 0: a failure is final). */
    public RetryPolicyBuilder maxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /** Delay before the first retry (default 1 s); {@link Duration#ZERO} retries at once. */
    public RetryPolicyBuilder backoff(Duration delay) {
        this.backoff = notNegative(delay, "backoff");
        return this;
    }

    /** Factor applied to the delay for each further retry, at least 1 (default 2; 1 keeps the delay fixed). */
    public RetryPolicyBuilder backoffMultiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
        }
        this.backoffMultiplier = multiplier;
        return this;
    }

    /** Upper bound of the delay (default 10 min). */
    public RetryPolicyBuilder backoffMax(Duration max) {
        this.backoffMax = notNegative(max, "backoffMax");
        return this;
    }

    /** Share of the delay taken off at random, from 0 (none) to 1 (anywhere between 0 and the delay); default 0.5. */
    public RetryPolicyBuilder backoffJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("backoff jitter must be within 0..1, was " + jitter);
        }
        this.backoffJitter = jitter;
        return this;
    }

    /** Adds exceptions that are retried (with their subclasses); none added means every exception. */
    @SafeVarargs
    public final RetryPolicyBuilder retryOn(Class<? extends Throwable>... types) {
        retryOn.addAll(classes(types, "retryOn"));
        return this;
    }

    /** Adds exceptions that are never retried (with their subclasses), even if {@link #retryOn} matches them. */
    @SafeVarargs
    public final RetryPolicyBuilder noRetryOn(Class<? extends Throwable>... types) {
        noRetryOn.addAll(classes(types, "noRetryOn"));
        return this;
    }

    /** The policy. */
    public RetryPolicy build() {
        return new RetryPolicy(new RetryPolicyConfig(maxRetries, backoff, backoffMultiplier, backoffMax,
                backoffJitter, retryOn, noRetryOn));
    }

    private static Duration notNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d;
    }

    private static List<Class<? extends Throwable>> classes(Class<? extends Throwable>[] types, String what) {
        Objects.requireNonNull(types, what);
        for (Class<? extends Throwable> t : types) {
            Objects.requireNonNull(t, what + " has a null class");
        }
        return List.of(types);
    }
}
