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
 * @param rootId    the id of the first task of the workflow the task belongs to (Celery's {@code root_id}): null
 *                  when the task is its own root (a task submitted by itself, or a workflow's first task), or when
 *                  it has no record yet (a task waiting in its queue); see {@link #root()}
 * @param parentId  the id of the task whose finish sent this one (a chain's step before, the task a callback
 *                  follows), null for a task submitted by a client or with no record yet
 */
public record TaskInfo(String id, String queue, String task, TaskState state, int retries, int attempt,
                       String worker, Instant updatedAt, TaskError error, String reason, TaskProgress progress,
                       String rootId, String parentId) {

    /** A snapshot without lineage. */
    public TaskInfo(String id, String queue, String task, TaskState state, int retries, int attempt, String worker,
                    Instant updatedAt, TaskError error, String reason, TaskProgress progress) {
        this(id, queue, task, state, retries, attempt, worker, updatedAt, error, reason, progress, null, null);
    }

    /** A snapshot without progress. */
    public TaskInfo(String id, String queue, String task, TaskState state, int retries, int attempt, String worker,
                    Instant updatedAt, TaskError error, String reason) {
        this(id, queue, task, state, retries, attempt, worker, updatedAt, error, reason, null);
    }

    /** The workflow's root as far as the record tells: {@link #rootId()}, or this task's own id when that is null. */
    public String root() {
        return rootId != null ? rootId : id;
    }

    /** The error of the last failed attempt. */
    public Optional<TaskError> lastError() {
        return Optional.ofNullable(error);
    }
}
