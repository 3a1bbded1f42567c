package io.taskq.internal.worker;

import io.taskq.TaskContext;

/** Holds the {@link TaskContext} of the task running on each worker thread. */
public final class CurrentTask {
    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

    private CurrentTask() {
    }

    /** The context bound to this thread, or null. */
    public static TaskContext get() {
        return CURRENT.get();
    }

    static void bind(TaskContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }
}
