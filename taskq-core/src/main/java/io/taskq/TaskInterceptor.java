package io.taskq;

/**
 * Wraps every invocation of a task method on a worker, like a servlet filter: for tracing, metrics, a transaction
 * or security context, logging context, or a guard that refuses to run. Register with
 * {@link Taskq.Builder#interceptor}; several interceptors nest in registration order, the first registered being the
 * outermost.
 *
 * <pre>{@code
 * TaskInterceptor timing = (context, next) -> {
 *     long t0 = System.nanoTime();
 *     try {
 *         return next.proceed();
 *     } finally {
 *         log.info("{} took {} µs", context.taskName(), (System.nanoTime() - t0) / 1000);
 *     }
 * };
 * }</pre>
 *
 * <p>An interceptor runs on the task's thread, inside the attempt: it may run code before and after
 * {@link Invocation#proceed()}, return another result (encoded as JSON like the method's), throw, or not proceed
 * at all. What it throws counts as the task's failure, under the task's {@link RetryPolicy}. The attempt's time
 * limit and a revoke still apply: they interrupt the thread, and an attempt that timed out or was revoked ends as
 * such even if an interceptor swallowed the interrupt or the exception.
 */
@FunctionalInterface
public interface TaskInterceptor {

    /**
     * Runs around one invocation of a task method.
     *
     * @param context the running task ({@link TaskContext#current()} gives the same)
     * @param next    the rest of the chain: the next interceptor, or the task method itself
     * @return the task's result (what {@code next} returned, or a replacement)
     * @throws Exception to fail the attempt
     */
    Object intercept(TaskContext context, Invocation next) throws Exception;

    /** The rest of an interceptor chain. */
    @FunctionalInterface
    interface Invocation {
        /**
         * Runs the next interceptor or, at the end of the chain, the task method, and returns its result. Calling it
         * again runs the rest of the chain again.
         *
         * @throws Exception what the task method or a later interceptor threw (the method's own exception, not
         *                   wrapped)
         */
        Object proceed() throws Exception;
    }
}
