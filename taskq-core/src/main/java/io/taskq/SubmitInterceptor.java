package io.taskq;

import java.util.List;

/**
 * Wraps every submit ({@link Taskq#submit}, {@link Taskq#submitAll}) on the submitting thread, around the checks and
 * the broker call: for a producer span and trace context carried in the headers, a submit audit, or a guard.
 * Register with {@link Taskq.Builder#submitInterceptor}; several nest in registration order, the first registered
 * being the outermost.
 *
 * <pre>{@code
 * SubmitInterceptor tenant = (requests, next) -> next.proceed(requests.stream()
 *         .map(r -> r.header("tenant", Tenant.current()))
 *         .toList());
 * }</pre>
 *
 * <p>An interceptor may pass other requests on to {@code next} (copies with headers added, say, since requests are
 * immutable), but as many as it was given and in the same order, each for the same task: the handles come back in
 * request order, and {@code next} fails with {@link IllegalStateException} otherwise, with nothing sent. What it
 * throws fails the submit; thrown before {@code next}, nothing was sent. A task submitted from inside a running task
 * is submitted on the task's thread, so the interceptor sees that thread's context (a tracing span made current by
 * a {@link TaskInterceptor}, say).
 */
@FunctionalInterface
public interface SubmitInterceptor {

    /**
     * Runs around one submit call.
     *
     * @param requests the requests of the call, in order (one for {@link Taskq#submit})
     * @param next     the rest of the chain: the next interceptor, or the submit itself
     * @return a handle per request, in order (what {@code next} returned)
     */
    List<TaskHandle<?>> intercept(List<? extends TaskRequest<?>> requests, Submit next);

    /** The rest of a submit interceptor chain. */
    @FunctionalInterface
    interface Submit {
        /**
         * Runs the next interceptor or, at the end of the chain, checks the requests and sends them.
         *
         * @param requests the requests to submit: as many as the interceptor was given, in the same order
         * @return a handle per request, in order
         * @throws IllegalStateException if the requests are not as many as given, or not for the same tasks in the
         *                               same order
         */
        List<TaskHandle<?>> proceed(List<? extends TaskRequest<?>> requests);
    }
}
