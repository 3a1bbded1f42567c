package io.taskq.internal.worker;

import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.RenewResult;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of running and held tasks and stops the attempts that must stop: it renews the leases on the
 * timer, drops a held task whose lease was lost or that was revoked, interrupts a running attempt whose lease was
 * lost, that was revoked or that passed its time limit, and abandons its thread if it ignores the interrupt for
 * {@link io.taskq.WorkerOptions#abandonAfter()}: the attempt is settled, its slot reused, and the thread left to
 * end on its own.
 */
final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final WorkerContext ctx;
    private final Slots slots;
    private final Outcomes outcomes;
    private final OutcomeReporter reporter;
    /** Completes an abandoned attempt with its outcome on a new task thread, which then runs on from its slot. */
    private final BiConsumer<Attempt, Supplier<Outcome>> completeAbandoned;

    LeaseKeeper(WorkerContext ctx, Slots slots, Outcomes outcomes, OutcomeReporter reporter,
                BiConsumer<Attempt, Supplier<Outcome>> completeAbandoned) {
        this.ctx = ctx;
        this.slots = slots;
        this.outcomes = outcomes;
        this.reporter = reporter;
        this.completeAbandoned = completeAbandoned;
    }

    /** Starts the attempt's time limit, which starts with its method (not at claim). */
    void startTimeLimit(Attempt a, Duration limit) {
        a.limitTimer = ctx.threads.schedule(() -> onTimeLimit(a, limit), limit.toMillis());
    }

    /**
     * Starts the attempt's soft time limit: when it passes, the task's thread is interrupted once and the attempt
     * marked, nothing more (the task may return; the hard limit, if any, still applies).
     */
    void startSoftTimeLimit(Attempt a, Duration limit) {
        a.softLimitTimer = ctx.threads.schedule(() -> onSoftTimeLimit(a, limit), limit.toMillis());
    }

    private void onSoftTimeLimit(Attempt a, Duration limit) {
        Thread t = a.thread;
        if (a.settled.get() || a.exited || t == null) {
            return;
        }
        a.softTimedOut = true;
        log.info("task {} exceeded its soft time limit of {}; interrupting it so that it can clean up", a.id(), limit);
        t.interrupt();
    }

    private void onTimeLimit(Attempt a, Duration limit) {
        if (a.settled.get()) {
            return;
        }
        a.timedOut = true;
        log.warn("task {} exceeded its time limit of {}; interrupting", a.id(), limit);
        interruptAndAbandonLater(a, () -> outcomes.failure(a, Outcomes.timeLimitError(limit)));
    }

    /** Renews the leases of running and held tasks alike: a held task must not be lost behind a long one. */
    void renewLeases() {
        List<Delivery> live = slots.liveDeliveries();
        if (live.isEmpty()) {
            return;
        }
        RenewResult r;
        try {
            r = ctx.broker.renew(ctx.id, live, ctx.options.lease());
        } catch (RuntimeException e) {
            log.warn("worker {}: lease renewal failed: {}", ctx.id, e.toString());
            return;
        }
        for (String lostId : r.lost()) {
            leaseLost(lostId);
        }
        for (String revokedId : r.revoked()) {
            revoked(revokedId);
        }
    }

    private void leaseLost(String taskId) {
        if (slots.dropHeld(taskId) != null) {
            log.warn("task {}: lease lost before it started; not run here (another attempt owns it)", taskId);
            return;
        }
        Attempt a = slots.running(taskId);
        if (a != null && !a.settled.get()) {
            a.leaseLost = true;
            log.warn("task {}: lease lost; stopping this attempt", taskId);
            interruptAndAbandonLater(a, () -> null);
        }
    }

    private void revoked(String taskId) {
        Attempt h = slots.dropHeld(taskId);
        if (h != null) {
            h.revokedReason = "revoked";
            log.info("task {} revoked before it started; not run", taskId);
            Outcome revoked = ctx.counted(outcomes.revokedBeforeStart(h));
            reporter.reportLater(h, ctx.events.finished(h.delivery, h.trace, revoked));
            return;
        }
        Attempt a = slots.running(taskId);
        if (a != null && !a.settled.get() && a.revokedReason == null) {
            a.revokedReason = "revoked";
            log.info("task {} revoked while running; interrupting", taskId);
            interruptAndAbandonLater(a, () -> a.envelope == null ? null : outcomes.revoked(a, a.revokedReason));
        }
    }

    /**
     * Interrupts the attempt's thread; if it has not returned after {@code abandonAfter}, settles the attempt with
     * {@code outcome} and gives the slot to new work while the thread is left to end on its own.
     */
    private void interruptAndAbandonLater(Attempt a, Supplier<Outcome> outcome) {
        Thread t = a.thread;
        if (t != null) {
            t.interrupt();
        }
        ctx.threads.schedule(() -> {
            if (a.settle()) {
                abandon(a, outcome);
            }
        }, ctx.options.abandonAfter().toMillis());
    }

    private void abandon(Attempt a, Supplier<Outcome> outcome) {
        a.abandonedThread = true;
        int n = ctx.abandonedOne();
        log.error("task {} ignored the interrupt for {}; its thread is abandoned ({} abandoned now) and its slot"
                + " reused", a.id(), ctx.options.abandonAfter(), n);
        if (ctx.tooManyAbandoned()) {
            // The worker stops taking work (see ClaimLoop): what it holds goes to a healthier worker, not to the
            // slot freed here.
            slots.handBackHeld();
        }
        completeAbandoned.accept(a, outcome);
    }
}
