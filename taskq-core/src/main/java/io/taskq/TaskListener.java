package io.taskq;

/**
 * Hears what a worker does with each task it claims (see {@link TaskEvent.Kind}), for metrics, audit logs and
 * alerts. Register with {@link Taskq.Builder#listener}; every worker the taskq starts calls every listener, in
 * registration order.
 *
 * <p>Listeners are called synchronously on the worker thread that made the change (the task's thread for started
 * and its outcome, the fetch or report thread for claims, the closing thread for tasks handed back at shutdown),
 * right after the worker decided and before it reports to the broker. A slow listener therefore slows the worker:
 * hand expensive work (network calls) to a queue or executor of your own. A listener that throws is logged (WARN,
 * then at most once a minute per listener with the count of failures in between) and does not disturb the task or
 * the other listeners.
 */
@FunctionalInterface
public interface TaskListener {

    /** One change of one task on a worker. */
    void onEvent(TaskEvent event);
}
