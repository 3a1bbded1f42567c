package io.taskq;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an ordinary object as a task that workers can run and clients can submit.
 *
 * <p>Registration ({@link Taskq.Builder#tasks(Object...)}) scans an object's {@code @Task} methods. Durations are
 * strings such as {@code "500ms"}, {@code "30s"}, {@code "5m"}, {@code "2h"}, {@code "1d"} or ISO-8601
 * ({@code "PT30S"}); an empty string means "not set". Invalid values are rejected at registration.
 *
 * <pre>{@code
 * class EmailTasks {
 *     @Task(name = "email.send", queue = "email", maxRetries = 5, retryOn = IOException.class)
 *     public String send(String to, String subject) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {

    /** Task name; defaults to the declaring class's fully qualified name, a dot, and the method name. */
    String name() default "";

    /** Queue the task is sent to unless a submit call says otherwise. */
    String queue() default "default";

    /** Priority 0 (lowest) to 9 (highest); higher runs first within a queue. */
    int priority() default 4;

    /** How many times a failed attempt is retried; 0 means a failure is final. */
    int maxRetries() default 0;

    /** Delay before the first retry. */
    String backoff() default "1s";

    /** Factor applied to the delay for each further retry. */
    double backoffMultiplier() default 2.0;

    /** Upper bound of the retry delay. */
    String backoffMax() default "10m";

    /**
     * Fraction of the delay that is randomised, from 0 (none) to 1 (full jitter: anywhere between 0 and the
     * delay). Spreads retries of many tasks that failed together.
     */
    double backoffJitter() default 0.5;

    /** Exceptions that are retried (with their subclasses); empty means every exception. */
    Class<? extends Throwable>[] retryOn() default {};

    /** Exceptions that are never retried, even if {@link #retryOn()} matches. */
    Class<? extends Throwable>[] noRetryOn() default {};

    /** Hard time limit of one attempt; empty means none. See {@link TaskTimeLimitExceededException}. */
    String timeLimit() default "";

    /**
     * Soft time limit of one attempt (Celery's {@code soft_time_limit}); empty means none. When it passes, the task's
     * thread is interrupted and {@link TaskContext#softTimeLimitExceeded()} turns true: the task may clean up and
     * return (its result counts), or end with the interrupt, which fails the attempt with a
     * {@link TaskTimeLimitExceededException}. Shorter than {@link #timeLimit()} when both are set.
     */
    String softTimeLimit() default "";

    /** When true, a successful result is not stored (state tracking ends at STARTED). */
    boolean ignoreResult() default false;

    /**
     * A rate limit across all workers, as {@link RateLimit#parse} reads it ({@code "100/s"}, {@code "10/m"}); empty
     * for none. A task over its limit stays queued until the limit allows it, without holding up other tasks; with
     * {@link #limitKey()} the limit counts per key (per tenant). See docs/limits.md.
     */
    String rateLimit() default "";

    /**
     * At most this many of the task's runs at once across all workers (per key with {@link #limitKey()}); 0 for no
     * limit. A slot held by a worker that died comes back when its lease expires. See docs/limits.md.
     */
    int concurrencyLimit() default 0;

    /**
     * Where the key of a per-key limit comes from: {@code "header:<name>"} (a custom header, e.g. the tenant) or
     * {@code "arg:<index>"} (an argument, by position from 0); empty for one limit over all of the task's runs. A
     * request may give its key itself ({@link TaskRequest#limitKey}).
     */
    String limitKey() default "";

    /**
     * Makes the task unique in its queue: {@code queued}, {@code started} or {@code finished} (how long it holds its
     * uniqueness key, see {@link Uniqueness.Mode}), or a duration ({@code "10m"}) for a window after the submit;
     * empty for none. A submit of a duplicate answers with the existing task's handle. See docs/limits.md.
     */
    String uniqueUntil() default "";

    /** The arguments (positions from 0) that make a unique task's key, with its name; empty for all of them. */
    int[] uniqueArgs() default {};
}
