package io.taskq;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of one task on a worker, as a {@link TaskListener} hears it. Immutable. Fields that do not apply to a
 * kind, or are not known at that point, are null (see each).
 *
 * <p>One attempt gives: {@link Kind#CLAIMED}, then either {@link Kind#STARTED} and one ending ({@link Kind#SUCCEEDED};
 * {@link Kind#FAILED} followed by {@link Kind#RETRIED} or {@link Kind#DEAD_LETTERED}; {@link Kind#REVOKED};
 * {@link Kind#HANDED_BACK}), or no start and one of {@link Kind#REVOKED} (revoked or expired before it started),
 * {@link Kind#DEAD_LETTERED} (message unreadable, too large, unknown task, bad arguments) or
 * {@link Kind#HANDED_BACK}. An attempt whose lease was lost ends without an event: another attempt owns the task.
 *
 * @param kind         what happened
 * @param taskId       the task's id
 * @param taskName     the task's name
 * @param queue        the queue it was claimed from
 * @param workerId     the worker's id ({@link Worker#id()})
 * @param attempt      claims of the task so far, this one included (counted by the broker)
 * @param retries      retries scheduled before this attempt, as its message says; null unless the attempt started
 *                     (the message is read at the start)
 * @param timestamp    when it happened, by the taskq's {@link Taskq.Builder#clock clock}
 * @param waitTime     how long the attempt waited on this worker between its claim and its start (time held for a
 *                     free slot); null before the start and for attempts that never started
 * @param runtime      how long the attempt ran, from its start to this event (interceptors included); null unless
 *                     it started, and for {@link Kind#STARTED} itself
 * @param errorType    for {@link Kind#FAILED}, {@link Kind#RETRIED} and {@link Kind#DEAD_LETTERED}: the class name
 *                     of the exception, or a taskq error kind such as {@code taskq.MalformedMessage}; else null
 * @param errorMessage the error's message (possibly empty) where {@code errorType} is set; else null
 * @param retryAt      for {@link Kind#RETRIED}: when the next attempt may start; else null
 * @param reason       for {@link Kind#REVOKED} ({@code revoked} or {@code expired}) and {@link Kind#DEAD_LETTERED}
 *                     (the reason stored with the dead letter); else null
 */
public record TaskEvent(Kind kind, String taskId, String taskName, String queue, String workerId, int attempt,
                        Integer retries, Instant timestamp, Duration waitTime, Duration runtime, String errorType,
                        String errorMessage, Instant retryAt, String reason) {

    /** What happened to the task. */
    public enum Kind {
        /** The worker claimed the task from the broker (Celery's task-received). */
        CLAIMED,
        /** The attempt started: the message was read and the task method (with its interceptors) is called next. */
        STARTED,
        /** The attempt returned normally; its result is reported. */
        SUCCEEDED,
        /** The attempt that started failed (threw, timed out, or its result could not be encoded). */
        FAILED,
        /** After {@link #FAILED}: the task is scheduled to run again at {@code retryAt}. */
        RETRIED,
        /**
         * The task was revoked while this worker held or ran it, or had expired when it was about to start (a task
         * revoked while still queued never reaches a worker: the broker ends it, and no worker event tells).
         */
        REVOKED,
        /** The task failed for good and goes to the dead-letter set, with {@code reason}. */
        DEAD_LETTERED,
        /**
         * The worker gave the task back to the broker unfinished (stopping, or holding more than it should): another
         * worker runs it.
         */
        HANDED_BACK
    }

    /** Checks the fields that are always set. */
    public TaskEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
