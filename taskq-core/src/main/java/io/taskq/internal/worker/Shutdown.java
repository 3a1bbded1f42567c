package io.taskq.internal.worker;

import io.taskq.WorkerOptions;
import io.taskq.spi.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a worker ({@link WorkerEngine#close()}): the fetch loop first, the held tasks back to the broker at once,
 * then the running tasks and pending reports get the shutdown grace; what still runs after it is interrupted and
 * handed back; last, the worker leaves the worker registry. One summary line says how many tasks went back.
 */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    /** How long interrupted tasks get to react before close() returns (never more than abandonAfter). */
    private static final long CLOSE_INTERRUPT_WAIT_MS = 500;

    private final WorkerContext ctx;
    private final WorkerOptions options;
    private final ClaimLoop claimLoop;
    private final Slots slots;
    private final OutcomeReporter reporter;
    private final Heartbeat heartbeat;

    Shutdown(WorkerContext ctx, ClaimLoop claimLoop, Slots slots, OutcomeReporter reporter, Heartbeat heartbeat) {
        this.ctx = ctx;
        this.options = ctx.options;
        this.claimLoop = claimLoop;
        this.slots = slots;
        this.reporter = reporter;
        this.heartbeat = heartbeat;
    }

    /** Stops the worker; idempotent. */
    void close() {
        if (!ctx.beginClose()) {
            return;
        }
        // The fetch loop stops first: the permits of the handed-back tasks must not feed one more claim.
        claimLoop.interrupt();
        slots.handBackHeld();
        try {
            claimLoop.join(options.claimWait().toMillis() + 5000);
            long deadline = ctx.ticker.read() + options.shutdownGrace().toNanos();
            ctx.awaitUntil(() -> slots.noneRunning() && reporter.pending() == 0, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reporter.pending() > 0) {
            log.warn("worker {}: {} outcome report(s) still pending; those tasks run again after their lease",
                    ctx.id, reporter.pending());
        }
        handBackRunning();
        slots.clearRunning();
        reporter.close();
        ctx.threads.shutdownNow();
        // Listed while it drains (with its running tasks), gone once it stopped.
        heartbeat.stop();
        logSummary();
    }

    /** Interrupts the tasks still running after the grace and hands them back. */
    private void handBackRunning() {
        List<Delivery> handBack = new ArrayList<>();
        List<Attempt> stopped = new ArrayList<>();
        for (Attempt a : slots.runningAttempts()) {
            if (a.settle()) {
                handBack.add(a.delivery);
                stopped.add(a);
                Thread t = a.thread;
                if (t != null) {
                    t.interrupt();
                }
            }
        }
        if (handBack.isEmpty()) {
            return;
        }
        try {
            ctx.broker.release(handBack);
            stopped.forEach(s -> ctx.events.handedBack(s.delivery, s.trace));
            ctx.handedBack(handBack.size());
        } catch (RuntimeException e) {
            log.warn("worker {}: hand-back of {} unfinished task(s) failed; they run again when their lease"
                    + " expires", ctx.id, handBack.size(), e);
        }
        awaitInterruptedTasks(stopped);
    }

    /**
     * Gives the interrupted tasks a moment (at most {@link #CLOSE_INTERRUPT_WAIT_MS}, and never more than
     * abandonAfter) to react, so that close() returns with them stopped unless they ignore interrupts.
     */
    private void awaitInterruptedTasks(List<Attempt> stopped) {
        long waitMs = Math.min(CLOSE_INTERRUPT_WAIT_MS, options.abandonAfter().toMillis());
        long deadline = ctx.ticker.read() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        try {
            for (Attempt a : stopped) {
                if (!ctx.awaitUntil(() -> a.exited || a.thread == null, deadline)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void logSummary() {
        int back = ctx.handedBackAtClose();
        if (back == 0) {
            log.info("worker {} stopped", ctx.id);
        } else {
            log.info("worker {} stopped; handed {} unfinished task(s) back to the broker (held, or still running"
                    + " after the shutdown grace of {}); other workers run them", ctx.id, back,
                    options.shutdownGrace());
        }
    }
}
