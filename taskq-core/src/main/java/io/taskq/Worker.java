package io.taskq;

import java.util.Set;

/**
 * A pool of threads inside the application that claims tasks from the broker and runs them. Created and started
 * by {@link Taskq#startWorker(WorkerOptions)}; {@link #close()} drains it gracefully.
 */
public interface Worker extends AutoCloseable {

    /** This worker's id, as recorded with its claims. */
    String id();

    /**
     * True while the fetch loop completes claim cycles. It turns false when the broker has failed for longer than
     * a few claim waits, when the worker is stopped, or when too many threads are abandoned; it is based on the
     * loop itself, not on a ping.
     */
    boolean isHealthy();

    /** Tasks running now. */
    int activeCount();

    /**
     * Tasks claimed ahead of a free slot and held until one frees ({@link WorkerOptions#prefetch()}); they are not
     * counted in {@link #activeCount()}.
     */
    int heldCount();

    /**
     * Stops claiming tasks from {@code queue} (Celery's {@code cancel_consumer}); the other queues go on. Tasks
     * already claimed from it run, or stay held until a slot frees; a claim already waiting may still bring one.
     * While every queue is paused the worker claims nothing and stays {@link #isHealthy() healthy}.
     *
     * @return false if it was paused already
     * @throws IllegalArgumentException if this worker does not consume {@code queue}
     */
    boolean pause(String queue);

    /**
     * Claims from a paused queue again (Celery's {@code add_consumer} of a queue it consumed before).
     *
     * @return false if it was not paused
     * @throws IllegalArgumentException if this worker does not consume {@code queue}
     */
    boolean resume(String queue);

    /** The queues paused now; an immutable copy. */
    Set<String> pausedQueues();

    /** The number of tasks this worker runs at once now ({@link WorkerOptions#concurrency()} until changed). */
    int concurrency();

    /**
     * Changes how many tasks this worker runs at once (Celery's {@code pool_grow} / {@code pool_shrink}, or
     * {@code autoscale} done by the application). Growing starts held tasks at once and claims for the new slots;
     * shrinking lets running tasks finish (none is interrupted) and passes no slot on until the worker runs no more
     * than {@code n}. The prefetch ({@link WorkerOptions#prefetch()}) stays as configured.
     *
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    void setConcurrency(int n);

    /** Threads abandoned by time limits that have not ended yet. */
    int abandonedCount();

    /** Outcomes this worker computed but the broker refused because the lease had been lost. */
    long staleOutcomeCount();

    /**
     * This worker now, as it tells the worker registry at each heartbeat ({@link Taskq#workers()} lists every
     * worker of the namespace): names, queues, concurrency, counts, times.
     */
    WorkerInfo info();

    /**
     * Stops taking work, lets running tasks finish up to the grace period, then interrupts the rest and hands
     * them back to the broker. Idempotent.
     */
    @Override
    void close();
}
