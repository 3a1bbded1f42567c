package io.taskq.spi;

import java.time.Instant;
import java.util.List;
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
 * @param followUps messages the broker enqueues with this outcome, atomically: if the outcome is accepted they are
 *                  enqueued (each as {@link Broker#enqueue} would: an id already known is skipped, one revoked
 *                  before it arrived is stored REVOKED), and if it is refused (a stale claim) none is; a broker
 *                  that cannot enqueue one of them refuses the whole call with an exception, having changed
 *                  nothing. The hook that workflows (chains, callbacks) use. On Redis Cluster they must go to
 *                  queues whose keys share the finished task's slot (in practice its own queue, or the same
 *                  partition of it); others are refused with an {@link IllegalArgumentException} before anything
 *                  is sent (see docs/redis.md). Empty for none.
 * @param chordJoin the chord member's completion this final outcome brings (see {@link ChordJoin}), or null. A
 *                  broker applies it before or atomically with the outcome (never only after it), so that a worker
 *                  that dies between the two re-runs the member and joins again, a no-op.
 */
public record Outcome(Delivery delivery, Kind kind, TaskRecord record, Instant retryAt, String newBody,
                      String reason, List<TaskMessage> followUps, ChordJoin chordJoin) {

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
        followUps = List.copyOf(Objects.requireNonNull(followUps, "followUps"));
        if (kind == Kind.RETRY && (retryAt == null || newBody == null || record == null)) {
            throw new IllegalArgumentException("a retry needs retryAt, newBody and a record");
        }
        if (kind == Kind.DEAD && (reason == null || record == null)) {
            throw new IllegalArgumentException("a dead letter needs a reason and a record");
        }
    }

    /** An outcome without a chord join. */
    public Outcome(Delivery delivery, Kind kind, TaskRecord record, Instant retryAt, String newBody, String reason,
                   List<TaskMessage> followUps) {
        this(delivery, kind, record, retryAt, newBody, reason, followUps, null);
    }

    /** The task finished; store {@code record} (or nothing when null). */
    public static Outcome done(Delivery delivery, TaskRecord record) {
        return new Outcome(delivery, Kind.DONE, record, null, null, null, List.of());
    }

    /** Another attempt at {@code retryAt} with {@code newBody}. */
    public static Outcome retry(Delivery delivery, TaskRecord record, Instant retryAt, String newBody) {
        return new Outcome(delivery, Kind.RETRY, record, retryAt, newBody, null, List.of());
    }

    /** Dead-letter the message. */
    public static Outcome dead(Delivery delivery, TaskRecord record, String reason) {
        return new Outcome(delivery, Kind.DEAD, record, null, null, reason, List.of());
    }

    /** This outcome with messages to enqueue atomically with it (replacing any it had); see {@code followUps}. */
    public Outcome withFollowUps(List<TaskMessage> messages) {
        return new Outcome(delivery, kind, record, retryAt, newBody, reason, messages, chordJoin);
    }

    /** This outcome with a chord member's completion (see {@code chordJoin}); a retry cannot have one. */
    public Outcome withChordJoin(ChordJoin join) {
        if (join != null && kind == Kind.RETRY) {
            throw new IllegalArgumentException("a retry does not complete a chord member");
        }
        return new Outcome(delivery, kind, record, retryAt, newBody, reason, followUps, join);
    }
}
