package io.taskq;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Which dead letters a bulk operation takes ({@link Taskq#resubmitDeadLetters}, {@link Taskq#deleteDeadLetters},
 * {@code QueueAdmin.findDeadLetters}): every condition set must hold; a filter with none set takes every dead letter.
 * Immutable; made with {@link #builder()}.
 *
 * <pre>{@code
 * DeadLetterFilter f = DeadLetterFilter.builder().task("email.send").errorType("java.net.ConnectException")
 *         .olderThan(Duration.ofHours(1)).build();
 * }</pre>
 *
 * <p>The error type is matched in the dead letter's reason, where the worker names the exception of a failed task
 * ({@code "failed after 4 attempts (max retries 3): java.net.ConnectException: Connection refused"}): it matches when
 * the reason holds it after {@code ": "} (or at its start) and before {@code ":"} (or at its end). Dead letters that
 * the broker made itself name no type (a lease lost too often: {@code "lease expired 6 times: ..."}; a message over
 * the size limit), so an error-type filter does not take them. An incomplete dead letter (see
 * {@link DeadLetter#incomplete()}) whose task or reason is unknown matches only filters without a task and error type.
 *
 * @param task       the task name, exactly; null for any
 * @param errorType  the exception type named in the reason (as above); null for any
 * @param olderThan  only dead letters dead-lettered at least this long ago; null for any
 * @param newerThan  only dead letters dead-lettered less than this long ago; null for any
 */
public record DeadLetterFilter(String task, String errorType, Duration olderThan, Duration newerThan) {
    private static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null);

    /** Checks the values: names not empty, durations not negative. */
    public DeadLetterFilter {
        if (task != null && task.isEmpty()) {
            throw new IllegalArgumentException("task is empty: leave it null for any task");
        }
        if (errorType != null && (errorType.isEmpty() || errorType.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("errorType must be a type name (not empty, no ':'): " + errorType);
        }
        if (olderThan != null && olderThan.isNegative() || newerThan != null && newerThan.isNegative()) {
            throw new IllegalArgumentException("olderThan and newerThan must not be negative");
        }
    }

    /** The filter that takes every dead letter. */
    public static DeadLetterFilter all() {
        return ALL;
    }

    /** A builder with no condition set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The earliest dead-letter time this filter takes at {@code now} (inclusive), or null for no bound: from
     * {@link #newerThan()}, at millisecond precision as brokers keep the time.
     */
    public Instant deadAfter(Instant now) {
        return newerThan == null ? null : now.minus(newerThan).truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
    }

    /** The latest dead-letter time this filter takes at {@code now} (inclusive), or null: from {@link #olderThan()}. */
    public Instant deadBefore(Instant now) {
        return olderThan == null ? null : now.minus(olderThan).truncatedTo(ChronoUnit.MILLIS);
    }

    /** Whether {@code d} passes every condition at {@code now}. */
    public boolean matches(DeadLetter d, Instant now) {
        Objects.requireNonNull(d, "d");
        Instant from = deadAfter(now);
        Instant to = deadBefore(now);
        long at = d.deadAt().toEpochMilli();
        if (from != null && at < from.toEpochMilli() || to != null && at > to.toEpochMilli()) {
            return false;
        }
        if (task != null && !task.equals(d.task())) {
            return false;
        }
        return errorType == null || reasonNames(d.reason(), errorType);
    }

    /** Whether a reason names the error type as described in the class comment. */
    public static boolean reasonNames(String reason, String errorType) {
        return reason != null && (": " + reason + ":").contains(": " + errorType + ":");
    }

    /** Builds a {@link DeadLetterFilter}. */
    public static final class Builder {
        private String task;
        private String errorType;
        private Duration olderThan;
        private Duration newerThan;

        private Builder() {
        }

        /** Only dead letters of this task. */
        public Builder task(String name) {
            this.task = name;
            return this;
        }

        /** Only dead letters whose reason names this exception type, e.g. {@code java.net.ConnectException}. */
        public Builder errorType(String type) {
            this.errorType = type;
            return this;
        }

        /** Only dead letters dead-lettered at least this long ago. */
        public Builder olderThan(Duration age) {
            this.olderThan = age;
            return this;
        }

        /** Only dead letters dead-lettered less than this long ago. */
        public Builder newerThan(Duration age) {
            this.newerThan = age;
            return this;
        }

        /** The filter. */
        public DeadLetterFilter build() {
            return new DeadLetterFilter(task, errorType, olderThan, newerThan);
        }
    }
}
