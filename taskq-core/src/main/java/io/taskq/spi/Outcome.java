package io.taskq.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * How a claimed task ends, handed to {@link Broker#finishAndClaim}.
 *
 * @param delivery the claim being finished (its token fences the call)
 * @param kind     what to do with the message
 * @param record   the state to store; null for {@link Kind#DONE} means "store nothing" (ignore-result tasks)
 * @param retryAt  for {@link Kind#RETRY}: when the next attempt may start
 * @param newBody  for {@link Kind#RETRY}: the envelope of the next attempt (its retry count raised)
 * @param reason   for {@link Kind#DEAD}: why the task is dead-lettered
 */
public record Outcome(Delivery delivery, Kind kind, TaskRecord record, Instant retryAt, String newBody,
                      String reason) {

    /** What happens to the message. */
    public enum Kind {
        /** Remove the message; the task is finished (SUCCESS, FAILURE without dead letter, or REVOKED). */
        DONE,
        /** Put the message back as delayed until {@code retryAt}, with {@code newBody}. */
        RETRY,
        /** Move the message to the dead-letter set. */
        DEAD
    }

    /** Validates the fields. */
    public Outcome {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.RETRY && (retryAt == null || newBody == null || record == null)) {
            throw new IllegalArgumentException("a retry needs retryAt, newBody and a record");
        }
        if (kind == Kind.DEAD && (reason == null || record == null)) {
            throw new IllegalArgumentException("a dead letter needs a reason and a record");
        }
    }

    /** The task finished; store {@code record} (or nothing when null). */
    public static Outcome done(Delivery delivery, TaskRecord record) {
        return new Outcome(delivery, Kind.DONE, record, null, null, null);
    }

    /** Another attempt at {@code retryAt} with {@code newBody}. */
    public static Outcome retry(Delivery delivery, TaskRecord record, Instant retryAt, String newBody) {
        return new Outcome(delivery, Kind.RETRY, record, retryAt, newBody, null);
    }

    /** Dead-letter the message. */
    public static Outcome dead(Delivery delivery, TaskRecord record, String reason) {
        return new Outcome(delivery, Kind.DEAD, record, null, null, reason);
    }
}
