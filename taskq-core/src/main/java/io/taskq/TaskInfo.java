package io.taskq;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of what is known about a task.
 *
 * @param id        task id
 * @param queue     queue the task belongs to; null for an id looked up by itself that no queue knows (UNKNOWN)
 * @param task      task name, when known
 * @param state     current state (PENDING while queued or delayed, UNKNOWN if the queue, or every queue, does not
 *                  know the id)
 * @param retries   retries scheduled so far
 * @param attempt   number of times a worker claimed the task (crash recoveries included)
 * @param worker    id of the worker that last claimed it, when known
 * @param updatedAt time of the last state change, when known
 * @param error     error of the last failed attempt, if any
 * @param reason    why the task was revoked or dead-lettered, if it was
 * @param progress  the progress the running attempt reported last ({@link TaskContext#updateState}), while it is
 *                  STARTED; null otherwise
 */
public record TaskInfo(String id, String queue, String task, TaskState state, int retries, int attempt,
                       String worker, Instant updatedAt, TaskError error, String reason, TaskProgress progress) {

    /** A snapshot without progress. */
    public TaskInfo(String id, String queue, String task, TaskState state, int retries, int attempt, String worker,
                    Instant updatedAt, TaskError error, String reason) {
        this(id, queue, task, state, retries, attempt, worker, updatedAt, error, reason, null);
    }

    /** The error of the last failed attempt. */
    public Optional<TaskError> lastError() {
        return Optional.ofNullable(error);
    }
}
