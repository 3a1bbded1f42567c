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

    /**
     * Reports the task's progress, or a custom state, with metadata (Celery's {@code update_state}): the broker
     * keeps the latest in the task's STARTED record, where {@link TaskHandle#progress()} reads it, and a
     * {@code task-progress} event tells it. The metadata is written as JSON with the application's mapper (a record,
     * a map, a number); the task's final state replaces it. Call it from the task's own thread.
     *
     * <pre>{@code
     * TaskContext ctx = TaskContext.current().orElseThrow();
     * for (int i = 0; i < files.size(); i++) {
     *     convert(files.get(i));
     *     ctx.updateState("PROGRESS", Map.of("done", i + 1, "total", files.size()));
     * }
     * }</pre>
     *
     * @param state a name of the application's own (such as {@code PROGRESS}); taskq's states are refused
     * @param meta  the metadata, written as JSON (at most 64 KiB with the state)
     * @return true if stored; false if this attempt is no longer the task's current one (its lease was lost, or it
     *         was revoked), or if the broker keeps no progress
     * @throws IllegalArgumentException if the state or the metadata is refused
     * @throws IllegalStateException    if called on another thread than the task's
     */
    public boolean updateState(String state, Object meta) {
        return io.taskq.internal.worker.CurrentTask.updateState(this, state, meta);
    }

    /** The context of the task running on this thread, if any. */
    public static Optional<TaskContext> current() {
        return Optional.ofNullable(io.taskq.internal.worker.CurrentTask.get());
    }
}
