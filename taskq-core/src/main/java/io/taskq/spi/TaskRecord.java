package io.taskq.spi;

import io.taskq.TaskError;
import io.taskq.TaskState;
import java.time.Instant;
import java.util.Objects;

/**
 * The stored state of a task, written by the broker as part of its state transitions and read through a
 * {@link ResultBackend}.
 *
 * @param id        task id
 * @param queue     queue name
 * @param task      task name
 * @param state     state
 * @param result    the result as JSON text (SUCCESS only), or null
 * @param error     error of the last failed attempt, or null
 * @param retries   retries scheduled so far
 * @param attempt   claims so far
 * @param worker    id of the worker of the latest claim, or null
 * @param updatedAt when this record was written
 * @param reason    reason for REVOKED or a dead letter, or null
 */
public record TaskRecord(String id, String queue, String task, TaskState state, String result, TaskError error,
                         int retries, int attempt, String worker, Instant updatedAt, String reason) {

    /** Validates the required fields. */
    public TaskRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A copy with another state and time. */
    public TaskRecord withState(TaskState newState, Instant at) {
        return new TaskRecord(id, queue, task, newState, result, error, retries, attempt, worker, at, reason);
    }
}
