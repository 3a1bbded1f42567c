package io.taskq;

import java.util.Objects;

/**
 * What an error callback receives as its last argument ({@link TaskRequest#linkError}, Celery's {@code link_error}):
 * the task that failed for good (its retries exhausted, or dead-lettered) and its error.
 *
 * <pre>{@code
 * @Task(name = "billing.alert")
 * public void alert(String customer, TaskFailure failure) { ... }
 * }</pre>
 *
 * @param taskId the id of the task that failed
 * @param task   its task name
 * @param queue  its queue
 * @param error  its last error
 */
public record TaskFailure(String taskId, String task, String queue, TaskError error) {
    /** Checks the fields. */
    public TaskFailure {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(error, "error");
    }
}
