package io.taskq;

import java.util.Map;
import java.util.Optional;

/**
 * What a running task may know about itself: its id (an idempotency key for side effects), the attempt, the
 * retries so far and the headers it was submitted with.
 *
 * <pre>{@code
 * TaskContext ctx = TaskContext.current().orElseThrow();
 * payments.charge(ctx.taskId(), amount); // idempotent by task id
 * }</pre>
 *
 * @param taskId   id of the task
 * @param taskName name of the task
 * @param queue    queue it was claimed from
 * @param attempt  claims so far, this one included
 * @param retries  retries scheduled before this attempt
 * @param rootId   id of the first task of the chain of submits this task belongs to
 * @param headers  custom headers given at submit
 */
public record TaskContext(String taskId, String taskName, String queue, int attempt, int retries,
                          String rootId, Map<String, String> headers) {

    /** Copies the headers. */
    public TaskContext {
        headers = Map.copyOf(headers);
    }

    /**
     * Whether this attempt passed its soft time limit ({@code @Task(softTimeLimit)}, {@link
     * TaskRequest#softTimeLimit}): the worker then interrupted the task's thread once, and a task that polls this
     * between steps, or catches the interrupt, can clean up and return (Celery's {@code SoftTimeLimitExceeded}).
     * Answers for the task's own thread; false on any other thread.
     */
    public boolean softTimeLimitExceeded() {
        return io.taskq.internal.worker.CurrentTask.softTimeLimitExceeded(this);
    }

    /** The context of the task running on this thread, if any. */
    public static Optional<TaskContext> current() {
        return Optional.ofNullable(io.taskq.internal.worker.CurrentTask.get());
    }
}
