package io.taskq.internal.worker;

import io.taskq.TaskContext;
import io.taskq.TaskInterceptor;
import io.taskq.internal.TaskRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;

/** Calls a task method through the application's {@link TaskInterceptor}s, the first registered outermost. */
final class InvocationChain {
    private final List<TaskInterceptor> interceptors;

    InvocationChain(List<TaskInterceptor> interceptors) {
        this.interceptors = List.copyOf(interceptors);
    }

    /**
     * Invokes the task on this thread, inside the interceptors, with the context bound to the thread.
     *
     * @throws Exception what the method or an interceptor threw, unwrapped; {@link IllegalAccessException} when the
     *                   method cannot be called at all
     */
    Object invoke(TaskRegistry.Registered task, Object[] args) throws Exception {
        return proceed(0, CurrentTask.get(), task, args);
    }

    private Object proceed(int index, TaskContext context, TaskRegistry.Registered task, Object[] args)
            throws Exception {
        if (index == interceptors.size()) {
            return call(task, args);
        }
        return interceptors.get(index).intercept(context, () -> proceed(index + 1, context, task, args));
    }

    private static Object call(TaskRegistry.Registered task, Object[] args) throws Exception {
        try {
            return task.definition().method().invoke(task.target(), args);
        } catch (InvocationTargetException e) {
            // Interceptors and retry rules see what the method threw, as the method's callers would.
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new UndeclaredThrowableException(cause);
        }
    }
}
