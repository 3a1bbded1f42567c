package io.taskq.internal.worker;

import io.taskq.RetryTaskException;
import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.TaskTimeLimitExceededException;
import io.taskq.internal.Envelope;
import io.taskq.internal.Errors;
import io.taskq.internal.TaskDefinition;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the outcome of an attempt: its record, and for a failure the retry decision (retry with backoff or the
 * task's countdown while retries are left and the error is retryable, else the dead letter).
 */
final class Outcomes {
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final Clock clock;
    private final String workerId;

    Outcomes(Clock clock, String workerId) {
        this.clock = clock;
        this.workerId = workerId;
    }

    /** The task's method ended with {@code error}: another attempt later, or a dead letter. */
    Outcome failure(Attempt a, Throwable error) {
        Envelope env = a.envelope;
        TaskDefinition def = a.definition;
        Throwable cause = error;
        Duration countdown = null;
        boolean retryable;
        if (error instanceof RetryTaskException rte) {
            countdown = rte.countdown();
            retryable = true;
            if (rte.getCause() != null) {
                cause = rte.getCause();
            }
        } else {
            retryable = def.isRetryable(error);
        }
        TaskError taskError = Errors.of(cause);
        if (retryable && env.retries() < def.maxRetries()) {
            Duration delay = countdown != null ? countdown : def.backoff().delay(env.retries());
            return retry(a, taskError, delay);
        }
        String reason = retryable && def.maxRetries() > 0
                ? "failed after " + (env.retries() + 1) + " attempts (max retries " + def.maxRetries() + "): "
                + taskError
                : (retryable ? "failed: " : "failed, not retryable: ") + taskError;
        log.warn("task {} {}", a.id(), reason);
        return dead(a, taskError, env.retries(), reason);
    }

    private Outcome retry(Attempt a, TaskError taskError, Duration delay) {
        Envelope env = a.envelope;
        Instant at = clock.instant().plus(delay);
        log.info("task {} failed ({}), retry {}/{} in {} ms", a.id(), taskError, env.retries() + 1,
                a.definition.maxRetries(), delay.toMillis());
        Envelope next = env.nextRetry();
        Delivery d = a.delivery;
        return Outcome.retry(d, new TaskRecord(d.id(), d.queue(), env.task(), TaskState.RETRY, null, taskError,
                next.retries(), d.attempt(), workerId, clock.instant(), null), at, next.encode());
    }

    /** The attempt cannot run or its result cannot be stored: dead-lettered with {@code error} as the reason. */
    Outcome dead(Attempt a, TaskError error, int retries) {
        log.warn("task {} dead-lettered: {}", a.id(), error);
        return dead(a, error, retries, error.toString());
    }

    private Outcome dead(Attempt a, TaskError error, int retries, String reason) {
        Delivery d = a.delivery;
        String task = a.envelope != null ? a.envelope.task() : d.task();
        return Outcome.dead(d, new TaskRecord(d.id(), d.queue(), task, TaskState.FAILURE, null, error, retries,
                d.attempt(), workerId, clock.instant(), reason), reason);
    }

    /** The method returned {@code json}. */
    Outcome success(Attempt a, String json) {
        return Outcome.done(a.delivery, record(a, TaskState.SUCCESS, json, null));
    }

    /** The attempt ends revoked for {@code reason} ("revoked", "expired"); its envelope is decoded. */
    Outcome revoked(Attempt a, String reason) {
        return Outcome.done(a.delivery, record(a, TaskState.REVOKED, null, reason));
    }

    private TaskRecord record(Attempt a, TaskState state, String result, String reason) {
        Delivery d = a.delivery;
        return new TaskRecord(d.id(), d.queue(), a.envelope.task(), state, result, null, a.envelope.retries(),
                d.attempt(), workerId, clock.instant(), reason);
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

    static TaskTimeLimitExceededException timeLimitError(Duration limit) {
        return new TaskTimeLimitExceededException("attempt exceeded its time limit of " + limit);
    }
}
