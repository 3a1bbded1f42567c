package io.taskq.internal.worker;

import io.taskq.TaskContext;

/** Holds the {@link TaskContext} of the task running on each worker thread, and the attempt it belongs to. */
public final class CurrentTask {
    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Attempt> ATTEMPT = new ThreadLocal<>();

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

    static void bind(TaskContext context, Attempt attempt) {
        if (context == null) {
            CURRENT.remove();
            ATTEMPT.remove();
        } else {
            CURRENT.set(context);
            ATTEMPT.set(attempt);
        }
    }
}
