package io.taskq.internal.worker;

import io.taskq.WorkerOptions;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claiming: the fetch loop, which claims as many tasks as there are free claim permits (free slots plus the room
 * left among the held tasks) whenever a permit frees, and the refill claim that rides with a batch of outcomes
 * ({@link BrokerBatcher.Refill}). The loop waits for a permit at most one claim wait at a time so that its health
 * stays visible, backs off while the broker fails, and takes no work while too many threads are abandoned.
 */
final class ClaimLoop implements BrokerBatcher.Refill {
    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);

    private final WorkerContext ctx;
    private final WorkerOptions options;
    private final Slots slots;
    private final QueueSelection queues;
    private volatile Thread fetcher;
    private volatile long lastLoopNanos;
    private volatile boolean brokerFailing;
    /** Broker failures in a row; only the fetch thread uses it. */
    private int failures;
    /** Guards {@link #claiming} and {@link #woken}: a wake-up interrupts the fetch thread only inside a claim. */
    private final Object claimLock = new Object();
    private boolean claiming;
    private boolean woken;

    ClaimLoop(WorkerContext ctx, Slots slots, QueueSelection queues) {
        this.ctx = ctx;
        this.options = ctx.options;
        this.slots = slots;
        this.queues = queues;
        this.lastLoopNanos = ctx.ticker.read();
    }

    /** Starts the fetch thread. */
    void start() {
        lastLoopNanos = ctx.ticker.read();
        Thread t = ctx.threads.newThread("taskq-fetch-" + ctx.id, this::loop);
        fetcher = t;
        t.start();
    }

    /** Wakes the fetch thread out of a wait or a claim; it ends once the worker no longer accepts work. */
    void interrupt() {
        Thread t = fetcher;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Ends a claim the fetch thread is waiting in, so that the next one asks for the queues as they are now (after
     * a pause or resume). Outside a claim it does nothing: the next claim reads the queues anyway.
     */
    void wakeClaim() {
        synchronized (claimLock) {
            Thread t = fetcher;
            if (claiming && t != null) {
                woken = true;
                t.interrupt();
            }
        }
    }

    /** Waits up to {@code millis} for the fetch thread to end. */
    void join(long millis) throws InterruptedException {
        Thread t = fetcher;
        if (t != null) {
            t.join(millis);
        }
    }

    /**
     * Whether the loop completes claim cycles: the broker answered the last claims, and a cycle ended within
     * three claim waits (at least 10 s).
     */
    boolean healthy() {
        long staleAfter = Math.max(3 * options.claimWait().toNanos(), TimeUnit.SECONDS.toNanos(10));
        return !brokerFailing && ctx.ticker.read() - lastLoopNanos < staleAfter;
    }

    private void loop() {
        while (ctx.accepting()) {
            try {
                cycle();
            } catch (InterruptedException e) {
                if (!ctx.accepting()) {
                    break;
                }
            } catch (RuntimeException e) {
                log.error("worker {}: unexpected error in fetch loop", ctx.id, e);
            }
        }
    }

    /** One turn of the loop: wait for a permit, claim for every free permit, place what came. */
    private void cycle() throws InterruptedException {
        if (ctx.tooManyAbandoned()) {
            // Too many runaway threads: stop taking work until some end (reported by isHealthy()).
            ctx.awaitSettled(options.claimWait().toMillis());
            return;
        }
        if (queues.allPaused()) {
            queues.awaitChange(options.claimWait().toMillis());
            lastLoopNanos = ctx.ticker.read(); // paused on purpose, not stuck
            return;
        }
        if (!slots.acquirePermit(options.claimWait().toMillis())) {
            lastLoopNanos = ctx.ticker.read();
            return;
        }
        if (ctx.tooManyAbandoned()) {
            slots.returnPermits(1);
            return;
        }
        int n = 1 + slots.takeFreePermits();
        List<Delivery> claimed = claim(n);
        if (claimed == null) {
            return;
        }
        slots.returnPermits(n - claimed.size());
        ctx.events.claimed(claimed);
        claimed = withoutPaused(claimed);
        if (!claimed.isEmpty() && ctx.tooManyAbandoned()) {
            // A thread was abandoned while this claim waited: hand the work to a healthier worker.
            ctx.handBack(claimed);
            slots.returnPermits(claimed.size());
            return;
        }
        slots.place(claimed, 0);
    }

    /**
     * The claimed tasks minus those of queues paused while the claim waited (a submit can beat the pause's wake-up):
     * those go back to the broker at once, so that no task of a paused queue starts after the pause returned.
     */
    private List<Delivery> withoutPaused(List<Delivery> claimed) {
        Set<String> paused = queues.paused();
        if (paused.isEmpty() || claimed.isEmpty()) {
            return claimed;
        }
        List<Delivery> keep = new ArrayList<>(claimed.size());
        List<Delivery> back = new ArrayList<>();
        for (Delivery d : claimed) {
            (paused.contains(d.queue()) ? back : keep).add(d);
        }
        if (!back.isEmpty()) {
            ctx.handBack(back);
            slots.returnPermits(back.size());
        }
        return keep;
    }

    /**
     * Claims up to {@code n} tasks, waiting up to the claim wait; null after a broker failure (its permits given
     * back, and a pause made). A claim interrupted after it claimed returns what it got, with the interrupt status
     * kept: the tasks are placed (or handed back, once stopping) by the caller and the interrupt ends the loop on
     * its next wait.
     */
    private List<Delivery> claim(int n) throws InterruptedException {
        List<Delivery> claimed;
        synchronized (claimLock) {
            claiming = true; // before the queues are read: a pause from now on wakes this claim
        }
        try {
            List<String> order = queues.order();
            if (order.isEmpty()) {
                return List.of(); // every queue paused since the cycle began; the caller returns the permits
            }
            claimed = ctx.broker.claim(new ClaimRequest(ctx.id, order, n, options.lease(),
                    options.claimWait(), slots.startingNow(n, 0)));
        } catch (InterruptedException e) {
            slots.returnPermits(n);
            throw e;
        } catch (RuntimeException e) {
            slots.returnPermits(n);
            failed(e);
            return null;
        } finally {
            endClaim();
        }
        if (failures > 0) {
            log.info("worker {}: broker reachable again after {} failed claims", ctx.id, failures);
        }
        failures = 0;
        brokerFailing = false;
        lastLoopNanos = ctx.ticker.read();
        return claimed;
    }

    /**
     * Leaves a claim; a wake-up's interrupt that the claim did not consume is cleared (the tasks it brought are
     * placed as usual), unless the worker is stopping, whose interrupt must end the loop.
     */
    private void endClaim() {
        synchronized (claimLock) {
            claiming = false;
            if (woken) {
                woken = false;
                if (ctx.accepting()) {
                    Thread.interrupted();
                }
            }
        }
    }

    private void failed(RuntimeException e) throws InterruptedException {
        failures++;
        brokerFailing = failures > 2;
        if (failures == 1 || failures % 20 == 0) {
            log.warn("worker {}: claim failed ({} in a row), retrying: {}", ctx.id, failures, e.toString());
        }
        Thread.sleep(pauseAfterFailures(failures));
    }

    /** The pause after {@code failures} failed claims in a row: doubling from 100 ms, at most 2 s. */
    static long pauseAfterFailures(int failures) {
        return Math.min(2000, 50L << Math.min(failures, 6));
    }

    // ---------------------------------------------------------------- the claim that rides with outcomes

    /**
     * The claim made in the same broker call as a batch of outcomes (see {@link BrokerBatcher}); null when the
     * worker takes no new work. Without prefetch it refills the slots of the {@code freed} threads waiting in the
     * batch, each of which runs the task claimed for it. With prefetch it takes every free claim permit (freed
     * slots and the room among the held tasks), and the claimed tasks are placed like the fetch loop's.
     */
    @Override
    public ClaimRequest request(int freed) {
        if (!ctx.accepting() || ctx.tooManyAbandoned()) {
            return null;
        }
        List<String> order = queues.order();
        if (order.isEmpty()) {
            return null;
        }
        boolean holds = slots.holds();
        // Without prefetch each waiting thread asks for its next task, but not those whose slots pay a lowered
        // concurrency's debt (with prefetch the shrunk claim permits see to it).
        int max = holds ? slots.takeFreePermits() : Math.max(0, freed - slots.debt());
        if (max == 0) {
            return null;
        }
        return new ClaimRequest(ctx.id, order, max, options.lease(), Duration.ZERO,
                holds ? slots.startingNow(max, freed) : max);
    }

    /** Takes what a {@link #request} got; returns what goes to the threads waiting in the batch. */
    @Override
    public List<Delivery> claimed(ClaimRequest request, int freed, List<Delivery> claimed) {
        ctx.events.claimed(claimed);
        if (!slots.holds()) {
            return claimed;
        }
        slots.returnPermits(request.max() - claimed.size());
        return slots.place(claimed, freed);
    }
}
