package io.taskq.internal.worker;

import io.taskq.TaskState;
import io.taskq.WorkerOptions;
import io.taskq.internal.TaskRegistry;
import io.taskq.spi.Broker;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every part of one worker shares: its configuration and time sources, its threads, whether it still takes
 * work, the counts it reports ({@link io.taskq.Worker#abandonedCount()}, stale outcomes, tasks handed back at
 * close) and the signal that an attempt settled or a thread ended, which the fetch loop and the shutdown wait for.
 */
final class WorkerContext {
    private static final Logger log = LoggerFactory.getLogger(WorkerContext.class);

    final Broker broker;
    final TaskRegistry registry;
    final Clock clock;
    final Ticker ticker;
    final WorkerOptions options;
    final String id;
    final WorkerThreads threads;
    /** The application's task listeners, told of each transition. */
    final WorkerEvents events;

    private volatile boolean accepting = true;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicLong staleOutcomes = new AtomicLong();
    /** Attempts finished with an outcome (the worker registry's counts), and of those the successes and failures. */
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Tasks handed back to the broker since close() began, for its one summary line. */
    private final AtomicInteger handedBackAtClose = new AtomicInteger();
    private final Object settledSignal = new Object();

    WorkerContext(Broker broker, TaskRegistry registry, Clock clock, Ticker ticker, WorkerOptions options, String id,
                  WorkerThreads threads, WorkerEvents events) {
        this.broker = broker;
        this.registry = registry;
        this.clock = clock;
        this.ticker = ticker;
        this.options = options;
        this.id = id;
        this.threads = threads;
        this.events = events;
    }

    /** Whether the worker still takes work (false from the start of close()). */
    boolean accepting() {
        return accepting;
    }

    /** Whether close() has begun. */
    boolean closed() {
        return closed.get();
    }

    /** Marks the worker closed and no longer accepting; false if it already was. */
    boolean beginClose() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        accepting = false;
        return true;
    }

    /** A thread ignored its interrupt and was left to end on its own; returns how many are abandoned now. */
    int abandonedOne() {
        return abandoned.incrementAndGet();
    }

    /** An abandoned thread ended. */
    void abandonedEnded() {
        abandoned.decrementAndGet();
        signalSettled();
    }

    int abandonedCount() {
        return abandoned.get();
    }

    /** Too many runaway threads: the worker takes no work until some end (reported by isHealthy()). */
    boolean tooManyAbandoned() {
        return abandoned.get() > options.maxAbandoned();
    }

    /** The broker refused an outcome of this worker, or the worker discarded one, because the lease was lost. */
    void staleOutcome() {
        staleOutcomes.incrementAndGet();
    }

    long staleOutcomeCount() {
        return staleOutcomes.get();
    }

    /**
     * Counts an attempt's outcome as the worker decided it: a success, a failure (retried, dead-lettered or final)
     * or neither (revoked, expired). Returns {@code outcome}, so that a call site can pass it on.
     */
    Outcome counted(Outcome outcome) {
        if (outcome == null) {
            return null;
        }
        processed.incrementAndGet();
        TaskRecord r = outcome.record();
        if (outcome.kind() != Outcome.Kind.DONE || (r != null && r.state() == TaskState.FAILURE)) {
            failed.incrementAndGet();
        } else if (r == null || r.state() == TaskState.SUCCESS) {
            succeeded.incrementAndGet();
        }
        return outcome;
    }

    long processedCount() {
        return processed.get();
    }

    long succeededCount() {
        return succeeded.get();
    }

    long failedCount() {
        return failed.get();
    }

    /**
     * Hands claimed tasks that never started back to the broker (counted once close() began); a failure leaves
     * them to their lease.
     */
    void handBack(List<Delivery> ds) {
        if (release(ds)) {
            events.handedBack(ds);
        }
    }

    /** Hands an attempt back to the broker (maybe after it started), like {@link #handBack(List)}. */
    void handBack(Attempt a) {
        if (release(List.of(a.delivery))) {
            events.handedBack(a.delivery, a.trace);
        }
    }

    private boolean release(List<Delivery> ds) {
        try {
            broker.release(ds);
            if (closed.get()) {
                handedBackAtClose.addAndGet(ds.size());
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("worker {}: could not hand back {}; the lease will expire", id,
                    ds.stream().map(Delivery::id).toList(), e);
            return false;
        }
    }

    /** Counts tasks that the shutdown handed back itself. */
    void handedBack(int n) {
        handedBackAtClose.addAndGet(n);
    }

    int handedBackAtClose() {
        return handedBackAtClose.get();
    }

    /** Wakes whoever waits for an attempt to settle or a task thread to end. */
    void signalSettled() {
        synchronized (settledSignal) {
            settledSignal.notifyAll();
        }
    }

    /** Waits for the next {@link #signalSettled()}, at most {@code millis}. */
    void awaitSettled(long millis) throws InterruptedException {
        synchronized (settledSignal) {
            settledSignal.wait(Math.max(1, millis));
        }
    }

    /**
     * Waits until {@code done} holds, checked at each {@link #signalSettled()}, or until the ticker passes
     * {@code deadline}.
     *
     * @return whether {@code done} holds
     */
    boolean awaitUntil(BooleanSupplier done, long deadline) throws InterruptedException {
        synchronized (settledSignal) {
            while (!done.getAsBoolean()) {
                long left = deadline - ticker.read();
                if (left <= 0) {
                    return false;
                }
                settledSignal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }
}
