package io.taskq.internal.worker;

import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs attempts on task threads: each attempt through its {@link Invocation}, then its outcome reported and its
 * slot passed on, to the task the broker claimed for it in the same call (no prefetch), to the oldest held task,
 * or freed; the thread runs on with whichever attempt took its slot.
 */
final class AttemptRunner {
    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

    private final WorkerContext ctx;
    private final Slots slots;
    private final Invocation invocation;
    private final OutcomeReporter reporter;

    AttemptRunner(WorkerContext ctx, Slots slots, Invocation invocation, OutcomeReporter reporter) {
        this.ctx = ctx;
        this.slots = slots;
        this.invocation = invocation;
        this.reporter = reporter;
    }

    /**
     * Runs the attempt on a new task thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException once the worker stopped
     */
    void start(Attempt a) {
        ctx.threads.execute(() -> run(a));
    }

    /** Runs an attempt, then the attempts that took its slot when it finished, on this thread. */
    void run(Attempt first) {
        Attempt a = first;
        while (a != null) {
            a = runOne(a);
        }
    }

    /**
     * Completes an attempt whose thread was abandoned, on a new task thread, which then runs on with whichever
     * attempt took the slot.
     */
    void completeAbandoned(Attempt a, Supplier<Outcome> outcome) {
        ctx.threads.execute(() -> {
            MDC.put(WorkerEngine.MDC_TASK_ID, a.id());
            MDC.put(WorkerEngine.MDC_WORKER, ctx.id);
            Attempt next;
            try {
                next = complete(a, outcome.get());
            } finally {
                MDC.remove(WorkerEngine.MDC_TASK_ID);
                MDC.remove(WorkerEngine.MDC_WORKER);
            }
            run(next);
        });
    }

    private Attempt runOne(Attempt a) {
        a.thread = Thread.currentThread();
        Delivery d = a.delivery;
        MDC.put(WorkerEngine.MDC_TASK_ID, d.id());
        MDC.put(WorkerEngine.MDC_TASK_NAME, d.task());
        MDC.put(WorkerEngine.MDC_ATTEMPT, Integer.toString(d.attempt()));
        MDC.put(WorkerEngine.MDC_WORKER, ctx.id);
        Attempt next = null;
        try {
            long started = ctx.ticker.read();
            Outcome outcome = invocation.execute(a);
            slots.ran(ctx.ticker.read() - started);
            if (a.settle()) {
                // An interrupt aimed at the task (time limit, revoke) must not cut its own report short.
                Thread.interrupted();
                next = complete(a, outcome);
            } else if (a.abandonedThread) {
                log.warn("abandoned task thread of {} ended; its outcome was discarded", d.id());
                ctx.abandonedEnded();
            }
        } catch (RuntimeException | Error e) {
            log.error("worker {}: internal error running {}", ctx.id, d.id(), e);
            if (a.settle()) {
                next = slots.handBack(a);
            }
        } finally {
            exit(a);
        }
        return next;
    }

    /** The task thread leaves the attempt: its time limit, task context and MDC end with it. */
    private void exit(Attempt a) {
        if (a.limitTimer != null) {
            a.limitTimer.cancel(false);
        }
        if (a.softLimitTimer != null) {
            a.softLimitTimer.cancel(false);
        }
        CurrentTask.bind(null, null, null);
        MDC.remove(WorkerEngine.MDC_TASK_ID);
        MDC.remove(WorkerEngine.MDC_TASK_NAME);
        MDC.remove(WorkerEngine.MDC_ATTEMPT);
        MDC.remove(WorkerEngine.MDC_WORKER);
        Thread.interrupted();
        a.exited = true;
        if (ctx.closed()) {
            ctx.signalSettled();
        }
    }

    /**
     * Reports an outcome to the broker (retrying while the broker is unreachable) and passes the slot on: to the
     * task the broker claimed for it in the same call (no prefetch), to the oldest held task, or frees it.
     *
     * <p>With prefetch, a held task takes the slot before the report instead of after it: the finishing thread
     * starts it at once and the reporter reports without it ({@link OutcomeReporter#reportLater}).
     *
     * @return the attempt that now owns the slot, to be run by the caller; null if the slot was freed
     */
    private Attempt complete(Attempt a, Outcome outcome) {
        Attempt next = null;
        // Whether a's claim permit is already released, or went to the task claimed for its slot.
        boolean permitGone = false;
        try {
            if (outcome != null && !a.leaseLost) {
                ctx.events.finished(a.delivery, a.trace, ctx.counted(outcome));
                if (slots.holds()) {
                    // The claim ends with the method, not with the report: its permit lets the claim that
                    // carries the report (or the fetch loop) top up the held tasks.
                    slots.returnPermits(1);
                    permitGone = true;
                    next = slots.takeHeld();
                    if (next != null) {
                        reporter.reportLater(a, outcome);
                    } else {
                        // The task claimed for this thread, if any, brings its own permit.
                        next = runNext(reporter.finish(a, outcome), false);
                    }
                } else {
                    next = runNext(reporter.finish(a, outcome), true);
                    permitGone = next != null;
                }
            } else if (a.leaseLost) {
                ctx.staleOutcome();
                log.warn("task {}: lease lost while running; outcome discarded (another attempt owns it)", a.id());
            }
        } finally {
            if (next == null) {
                next = slots.leaveSlot();
            }
            slots.unregister(a);
            if (!permitGone) {
                slots.returnPermits(1);
            }
            ctx.signalSettled();
        }
        return next;
    }

    /**
     * The attempt for the task the broker claimed for the caller's slot, registered before the caller's attempt
     * leaves so that the worker never looks idle in between; null if there is none or the worker stopped (the task
     * is handed back then, and its permit released unless the caller's own permit went to it).
     */
    private Attempt runNext(Delivery d, boolean callersPermit) {
        if (d == null) {
            return null;
        }
        if (!ctx.accepting()) {
            ctx.handBack(List.of(d));
            if (!callersPermit) {
                slots.returnPermits(1);
            }
            return null;
        }
        Attempt next = new Attempt(d);
        slots.register(next);
        return next;
    }
}
