package io.taskq.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param progress  the progress the running attempt reported last ({@code TaskContext.updateState}), as the JSON
 *                  text of {@code {"state":..,"at":..,"meta":..}}; only in a STARTED record, null otherwise
 * @param rootId    the id of the first task of the workflow this task belongs to (the message's {@code root_id}),
 *                  or null when the task is its own root (a root equal to {@code id} is stored as null, to keep
 *                  records small) or the writer did not know it
 * @param parentId  the id of the task whose finish sent this one (the message's {@code parent_id}), or null
 */
public record TaskRecord(String id, String queue, String task, TaskState state, String result, TaskError error,
                         int retries, int attempt, String worker, Instant updatedAt, String reason,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String progress,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String rootId,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String parentId) {

    /** Validates the required fields; a root equal to the task's own id is kept as null ("its own root"). */
    public TaskRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (id.equals(rootId)) {
            rootId = null;
        }
    }

    /** A record without lineage. */
    public TaskRecord(String id, String queue, String task, TaskState state, String result, TaskError error,
                      int retries, int attempt, String worker, Instant updatedAt, String reason, String progress) {
        this(id, queue, task, state, result, error, retries, attempt, worker, updatedAt, reason, progress, null,
                null);
    }

    /** A record without progress. */
    public TaskRecord(String id, String queue, String task, TaskState state, String result, TaskError error,
                      int retries, int attempt, String worker, Instant updatedAt, String reason) {
        this(id, queue, task, state, result, error, retries, attempt, worker, updatedAt, reason, null);
    }

    /** A copy with another state and time (and no progress: progress belongs to a running attempt). */
    public TaskRecord withState(TaskState newState, Instant at) {
        return new TaskRecord(id, queue, task, newState, result, error, retries, attempt, worker, at, reason, null,
                rootId, parentId);
    }

    /** A copy with the progress the running attempt reported at {@code at}. */
    public TaskRecord withProgress(String progressJson, Instant at) {
        return new TaskRecord(id, queue, task, state, result, error, retries, attempt, worker, at, reason,
                progressJson, rootId, parentId);
    }

    /** A copy with this lineage (see {@link #rootId()}, {@link #parentId()}). */
    public TaskRecord withLineage(String root, String parent) {
        return new TaskRecord(id, queue, task, state, result, error, retries, attempt, worker, updatedAt, reason,
                progress, root, parent);
    }

    /** The id of the workflow's first task: {@link #rootId()}, or this task's own id when that is null. */
    public String root() {
        return rootId != null ? rootId : id;
    }
}
