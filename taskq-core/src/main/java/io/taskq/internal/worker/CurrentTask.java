package io.taskq.internal.worker;

import io.taskq.TaskContext;

/** Holds the {@link TaskContext} of the task running on each worker thread, and the attempt it belongs to. */
public final class CurrentTask {
    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Attempt> ATTEMPT = new ThreadLocal<>();
    private static final ThreadLocal<ProgressReports> PROGRESS = new ThreadLocal<>();

    private CurrentTask() {
    }

    /** The context bound to this thread, or null. */
    public static TaskContext get() {
        return CURRENT.get();
    }

    /** Whether the attempt {@code context} describes runs on this thread and passed its soft time limit. */
    public static boolean softTimeLimitExceeded(TaskContext context) {
        Attempt a = ATTEMPT.get();
        return a != null && CURRENT.get() == context && a.softTimedOut;
    }

    /**
     * Reports progress for the attempt {@code context} describes.
     *
     * @throws IllegalStateException if that attempt does not run on this thread
     */
    public static boolean updateState(TaskContext context, String state, Object meta) {
        Attempt a = ATTEMPT.get();
        if (a == null || CURRENT.get() != context) {
            throw new IllegalStateException("progress is reported from the task's own thread, while it runs");
        }
        return PROGRESS.get().report(a, state, meta);
    }

    static void bind(TaskContext context, Attempt attempt, ProgressReports progress) {
        if (context == null) {
            CURRENT.remove();
            ATTEMPT.remove();
            PROGRESS.remove();
        } else {
            CURRENT.set(context);
            ATTEMPT.set(attempt);
            PROGRESS.set(progress);
        }
    }
}
