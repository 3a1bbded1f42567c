package io.taskq.internal.worker;

import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.TaskTimeLimitExceededException;
import io.taskq.internal.Envelope;
import io.taskq.internal.Errors;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the outcome of an attempt: its record, and for a failure the retry or dead letter that the task's
 * {@link io.taskq.RetryPolicy} decides ({@link RetryDecider}).
 */
final class Outcomes {
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final Clock clock;
    private final String workerId;
    private final RetryDecider retryDecider;
    private final FollowUpMessages followUps;
    private final ChordJoins chords;

    Outcomes(Clock clock, String workerId, RetryDecider retryDecider, FollowUpMessages followUps, ChordJoins chords) {
        this.clock = clock;
        this.workerId = workerId;
        this.retryDecider = retryDecider;
        this.followUps = followUps;
        this.chords = chords;
    }

    /** The task's method ended with {@code error}: another attempt later, or a dead letter, as its policy says. */
    Outcome failure(Attempt a, Throwable error) {
        Envelope env = a.envelope;
        RetryDecider.Verdict v = retryDecider.decide(a.id(), env.task(), env.retries(), error);
        if (!v.retry()) {
            return dead(a, v.error(), env.retries(), v.reason());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant at = now.plus(v.delay());
        Envelope next = env.nextRetry(now, at);
        Delivery d = a.delivery;
        return Outcome.retry(d, new TaskRecord(d.id(), d.queue(), env.task(), TaskState.RETRY, null, v.error(),
                next.retries(), d.attempt(), workerId, clock.instant(), null, null, env.rootId(), env.parentId()), at,
                next.encode());
    }

    /** The attempt cannot run or its result cannot be stored: dead-lettered with {@code error} as the reason. */
    Outcome dead(Attempt a, TaskError error, int retries) {
        log.warn("task {} dead-lettered: {}", a.id(), error);
        return dead(a, error, retries, error.toString());
    }

    /**
     * A final failure: the dead letter, with the task's error callbacks as its follow-ups (if they cannot go, the
     * reason says so and none goes).
     */
    private Outcome dead(Attempt a, TaskError error, int retries, String reason) {
        Delivery d = a.delivery;
        String task = a.envelope != null ? a.envelope.task() : d.task();
        FollowUpMessages.Built errbacks = a.envelope == null ? FollowUpMessages.Built.NONE
                : followUps.onFailure(a.envelope, d, error);
        if (errbacks.refusal() != null) {
            log.warn("task {}: error callbacks not enqueued: {}", a.id(), errbacks.refusal());
            reason = reason + "; error callbacks not enqueued: " + errbacks.refusal();
        }
        String chordRefused = chords.refusal(a.envelope);
        if (chordRefused != null) {
            reason = reason + "; the chord is not joined: " + chordRefused;
        }
        Envelope env = a.envelope;
        return Outcome.dead(d, new TaskRecord(d.id(), d.queue(), task, TaskState.FAILURE, null, error, retries,
                d.attempt(), workerId, clock.instant(), reason, null, env == null ? null : env.rootId(),
                env == null ? null : env.parentId()), reason).withFollowUps(errbacks.messages())
                .withChordJoin(chordRefused == null ? chords.failure(a.envelope, d, error) : null);
    }

    /**
     * The method returned {@code json} (null if not written: an ignore-result task nothing after it needs the
     * result of); the record is stored if {@code store}. The callbacks and the next chain step go with it; if they
     * cannot, the task is dead-lettered with the reason (no follow-up is lost silently).
     */
    Outcome success(Attempt a, String json, boolean store) {
        FollowUpMessages.Built next = followUps.onSuccess(a.envelope, a.delivery, json);
        String refused = next.refusal() != null ? next.refusal() : chords.refusal(a.envelope);
        if (refused != null) {
            return dead(a, io.taskq.internal.Errors.of("taskq.FollowUpRefused", refused), a.envelope.retries());
        }
        return Outcome.done(a.delivery, store ? record(a, TaskState.SUCCESS, json, null) : null)
                .withFollowUps(next.messages()).withChordJoin(chords.success(a.envelope, a.delivery, json));
    }

    /**
     * The attempt ends revoked for {@code reason} ("revoked", "expired"); its envelope is decoded. A revoked chord
     * member counts as failed: the chord's error path runs.
     */
    Outcome revoked(Attempt a, String reason) {
        Outcome done = Outcome.done(a.delivery, record(a, TaskState.REVOKED, null, reason));
        if (chords.refusal(a.envelope) != null) {
            return done;
        }
        return done.withChordJoin(chords.failure(a.envelope, a.delivery,
                io.taskq.internal.Errors.of("taskq.Revoked", "the member was revoked (" + reason + ")")));
    }

    private TaskRecord record(Attempt a, TaskState state, String result, String reason) {
        Delivery d = a.delivery;
        return new TaskRecord(d.id(), d.queue(), a.envelope.task(), state, result, null, a.envelope.retries(),
                d.attempt(), workerId, clock.instant(), reason, null, a.envelope.rootId(), a.envelope.parentId());
    }

    /** The outcome of a held task revoked before it started (its message not decoded yet, maybe not decodable). */
    Outcome revokedBeforeStart(Attempt a) {
        Delivery d = a.delivery;
        try {
            a.envelope = Envelope.decode(d.body());
        } catch (Envelope.MalformedException e) {
            return Outcome.done(d, new TaskRecord(d.id(), d.queue(), d.task(), TaskState.REVOKED, null, null, 0,
                    d.attempt(), workerId, clock.instant(), a.revokedReason));
        }
        return revoked(a, a.revokedReason);
    }

    /**
     * What an attempt that ended with {@code error} after its soft time limit failed with: the time limit, when the
     * error is the limit's interrupt coming out of the task (an {@code InterruptedException} or one that an
     * interrupted I/O call threw, possibly wrapped); otherwise the task's own error.
     */
    static Throwable softTimeLimitError(Throwable error, Duration limit) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                TaskTimeLimitExceededException e = new TaskTimeLimitExceededException(
                        "attempt exceeded its soft time limit of " + limit + " and ended with its interrupt");
                e.initCause(error);
                return e;
            }
        }
        return error;
    }

    static TaskTimeLimitExceededException timeLimitError(Duration limit) {
        return new TaskTimeLimitExceededException("attempt exceeded its time limit of " + limit);
    }
}
