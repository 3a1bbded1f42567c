package io.taskq;

/**
 * Hears each task this taskq submits and what its workers do with each task they claim (see
 * {@link TaskEvent.Kind}), for metrics, audit logs and alerts. Register with {@link Taskq.Builder#listener}; every
 * submit and every worker the taskq starts calls every listener, in registration order.
 *
 * <p>Listeners are called synchronously on the thread that made the change: the submitting thread for
 * {@link TaskEvent.Kind#SENT} (after the broker took the task, so a worker of the same application may tell its
 * claim first), and on a worker the task's thread for started and its outcome, the fetch or report thread for claims,
 * the closing thread for tasks handed back at shutdown, right after the worker decided and before it reports to the
 * broker. A slow listener therefore slows the worker:
 * hand expensive work (network calls) to a queue or executor of your own. A listener that throws is logged (WARN,
 * then at most once a minute per listener with the count of failures in between) and does not disturb the task or
 * the other listeners.
 */
@FunctionalInterface
public interface TaskListener {

    /** One change of one task on a worker. */
    void onEvent(TaskEvent event);
}
