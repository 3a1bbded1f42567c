package io.taskq.internal.worker;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one worker, all made by one {@link ThreadFactory}: the task threads (a pool), the timer (lease
 * renewal, time limits, report retries, heartbeats) and the named threads of the fetch loop and the reporter. The
 * pools start no thread until the first task or schedule, so that a worker starts its threads in
 * {@link WorkerEngine#start()}, not when it is created.
 */
final class WorkerThreads {
    private final ThreadFactory factory;
    private final ThreadPoolExecutor tasks;
    private final ScheduledExecutorService timer;

    WorkerThreads(ThreadFactory factory, String workerId) {
        this.factory = factory;
        AtomicInteger taskSeq = new AtomicInteger();
        // Unbounded on purpose: slots bound concurrency, and an abandoned thread must not block a new one.
        this.tasks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> newThread("taskq-task-" + taskSeq.incrementAndGet(), r));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> newThread("taskq-timer-" + workerId, r));
    }

    /**
     * A thread from the factory, named after its role in the worker (the factory decides the rest: daemon,
     * priority, group); not started.
     */
    Thread newThread(String name, Runnable r) {
        Thread t = factory.newThread(r);
        t.setName(name);
        return t;
    }

    /**
     * Runs {@code r} on a task thread.
     *
     * @throws RejectedExecutionException once the worker stopped
     */
    void execute(Runnable r) {
        tasks.execute(r);
    }

    /**
     * Runs {@code r} on the timer after {@code delayMs}.
     *
     * @throws RejectedExecutionException once the worker stopped
     */
    ScheduledFuture<?> schedule(Runnable r, long delayMs) {
        return timer.schedule(r, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code r} on the timer every {@code periodMs}, first after one period. */
    void every(long periodMs, Runnable r) {
        timer.scheduleWithFixedDelay(r, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code r} on the timer every {@code periodMs}, first at once. */
    void everyFromNow(long periodMs, Runnable r) {
        timer.scheduleWithFixedDelay(r, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Stops the timer and the task pool, interrupting what they run. */
    void shutdownNow() {
        timer.shutdownNow();
        tasks.shutdownNow();
    }
}
