package io.taskq.internal.worker;

import io.taskq.WorkerOptions;
import io.taskq.spi.Delivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who holds what on one worker: the run slots, the tasks held ahead of a free slot (prefetch, see
 * {@link WorkerOptions#prefetch()} and {@link AdaptivePrefetch}), and the claim permits.
 *
 * <p>Two budgets: the claim permits (concurrency + prefetch) bound the tasks this worker holds claimed, each
 * claimed task owning one permit until it leaves the worker; the free slots count the task threads that may
 * start. A claimed task that finds no free slot waits among the held tasks, oldest first, and the first slot to
 * free takes it; so a free slot and a held task never exist at the same time ({@code lock} guards both).
 */
final class Slots {
    private static final Logger log = LoggerFactory.getLogger(Slots.class);

    private final WorkerContext ctx;
    /** Runs an attempt on a task thread; throws RejectedExecutionException once the worker stopped. */
    private final Consumer<Attempt> starter;
    private final AdaptivePrefetch.Budget claims;
    /** Whether tasks may be held beyond the free slots (fixed or adaptive prefetch). */
    private final boolean holds;
    /** Null unless prefetch is adaptive. */
    private final AdaptivePrefetch adaptive;
    private final Object lock = new Object();
    /** The number of run slots; guarded by lock. */
    private int concurrency;
    /**
     * Run slots not taken; guarded by lock. Below zero after the concurrency was lowered while more tasks ran: the
     * slots of tasks that end pay that debt before any passes on to a held task.
     */
    private int freeSlots;
    /** Claimed tasks waiting for a slot, in claim order; guarded by lock. */
    private final ArrayDeque<Attempt> held = new ArrayDeque<>();
    /** Attempts that own a slot, by task id. */
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();

    Slots(WorkerContext ctx, Consumer<Attempt> starter) {
        this.ctx = ctx;
        this.starter = starter;
        WorkerOptions options = ctx.options;
        this.holds = options.prefetch() > 0;
        // Adaptive: the budget covers the slots alone until tasks prove short (AdaptivePrefetch grows it).
        this.claims = new AdaptivePrefetch.Budget(options.concurrency()
                + (options.adaptivePrefetch() ? 0 : options.prefetch()));
        this.adaptive = options.adaptivePrefetch() && holds ? new AdaptivePrefetch(claims, options.prefetch()) : null;
        this.concurrency = options.concurrency();
        this.freeSlots = options.concurrency();
    }

    // ---------------------------------------------------------------- concurrency

    /** The number of run slots now. */
    int concurrency() {
        synchronized (lock) {
            return concurrency;
        }
    }

    /**
     * Changes the number of run slots (and the claim permits with them): new slots take held tasks at once; when
     * slots go away, running tasks finish first and their slots are not passed on until the worker runs no more
     * than {@code n} tasks.
     *
     * @return the number before
     */
    int resize(int n) {
        List<Attempt> start = new ArrayList<>();
        int before;
        synchronized (lock) {
            before = concurrency;
            int delta = n - before;
            concurrency = n;
            freeSlots += delta;
            if (delta > 0) {
                claims.release(delta);
            } else if (delta < 0) {
                claims.shrink(-delta);
            }
            while (freeSlots > 0 && !held.isEmpty() && ctx.accepting()) {
                Attempt h = held.pollFirst();
                freeSlots--;
                running.put(h.id(), h);
                start.add(h);
            }
        }
        startAll(start);
        return before;
    }

    /** Slots still to give up after the concurrency was lowered (0 when none). */
    int debt() {
        synchronized (lock) {
            return Math.max(0, -freeSlots);
        }
    }

    // ---------------------------------------------------------------- claim permits

    /** Whether tasks may be held beyond the free slots at all (fixed or adaptive prefetch). */
    boolean holds() {
        return holds;
    }

    /**
     * Whether the worker claims beyond its free slots now: always with a fixed prefetch, never without one, and
     * with adaptive prefetch while its tasks are short.
     */
    boolean holdsAhead() {
        return adaptive != null ? adaptive.holding() : holds;
    }

    /** Whether prefetch is adaptive (then the timer checks for tasks held too long). */
    boolean adaptive() {
        return adaptive != null;
    }

    /** Waits up to {@code millis} for one claim permit. */
    boolean acquirePermit(long millis) throws InterruptedException {
        return claims.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** Takes every claim permit free now (0 if none). */
    int takeFreePermits() {
        return claims.takeAll();
    }

    /** Gives back {@code n} claim permits (tasks that left the worker, or were not claimed after all). */
    void returnPermits(int n) {
        claims.release(n);
    }

    /** An attempt ran for {@code nanos}: adaptive prefetch learns whether tasks are short. */
    void ran(long nanos) {
        if (adaptive != null) {
            adaptive.ran(nanos);
        }
    }

    /**
     * How many of {@code n} tasks about to be claimed will start at once (see {@link #place}): the broker marks
     * those started at claim, so that a crash they cause counts against them even before their start report is
     * sent, while the held ones count only once reported started. An estimate (slots may free meanwhile, and the
     * tasks claimed then start without a mark until reported), never below what the slots free now can take.
     *
     * @param waiting threads waiting in a batch for a task of their own
     */
    int startingNow(int n, int waiting) {
        if (!holds) {
            return n;
        }
        synchronized (lock) {
            return held.isEmpty() ? Math.min(n, waiting + freeSlots) : 0;
        }
    }

    // ---------------------------------------------------------------- placing and passing slots on

    /**
     * Starts claimed tasks on free slots and holds the rest, in claim order; once the worker stops, tasks that
     * find no free slot go back to the broker at once instead. Each task brings its claim permit.
     *
     * @param waiting threads that hold a slot and wait for a task: when nothing is held, the first tasks go to
     *                them (they run them without a hand-off); when tasks are held, those are older and come first
     * @return the tasks for the waiting threads
     */
    List<Delivery> place(List<Delivery> claimed, int waiting) {
        List<Attempt> start = new ArrayList<>(claimed.size());
        List<Delivery> back = new ArrayList<>();
        List<Delivery> forWaiting;
        synchronized (lock) {
            forWaiting = held.isEmpty() ? claimed.subList(0, Math.min(waiting, claimed.size())) : List.of();
            for (Delivery d : claimed.subList(forWaiting.size(), claimed.size())) {
                Attempt a = new Attempt(d);
                if (freeSlots > 0 && held.isEmpty()) {
                    freeSlots--;
                    running.put(d.id(), a);
                    start.add(a);
                } else if (ctx.accepting()) {
                    a.heldSince = ctx.ticker.read();
                    held.addLast(a);
                } else {
                    back.add(d);
                }
            }
        }
        startAll(start);
        if (!back.isEmpty()) {
            ctx.handBack(back);
            claims.release(back.size());
        }
        return forWaiting;
    }

    /** Starts attempts that took a slot, each on a task thread of its own. */
    private void startAll(List<Attempt> start) {
        for (Attempt a : start) {
            try {
                starter.accept(a);
            } catch (RejectedExecutionException e) {
                // Only after close(): the task goes back like any unfinished one.
                if (a.settle()) {
                    handBack(a);
                }
            }
        }
    }

    /**
     * The oldest held task, now owning the caller's slot; null if none is held, or if the caller's slot must go to
     * pay a lowered concurrency's debt (see {@link #resize}).
     */
    Attempt takeHeld() {
        synchronized (lock) {
            Attempt h = ctx.accepting() && freeSlots >= 0 ? held.pollFirst() : null;
            if (h != null) {
                // Registered before the caller's attempt leaves, so the worker never looks idle in between.
                running.put(h.id(), h);
            }
            return h;
        }
    }

    /** Gives the caller's slot to the oldest held task (returned, to be run by the caller) or frees it. */
    Attempt leaveSlot() {
        synchronized (lock) {
            Attempt h = takeHeld();
            if (h == null) {
                freeSlots++;
            }
            return h;
        }
    }

    /** Removes a held task (one that has not started), or returns null if it is not held (any more). */
    Attempt dropHeld(String taskId) {
        Attempt found = null;
        synchronized (lock) {
            for (Attempt h : held) {
                if (h.id().equals(taskId)) {
                    found = h;
                    break;
                }
            }
            if (found != null) {
                held.remove(found);
            }
        }
        if (found != null) {
            found.settle();
            claims.release();
        }
        return found;
    }

    /**
     * Hands an attempt that is not running (any more) back to the broker and passes its slot on.
     *
     * @return the held attempt that now owns the slot, to be run by the caller; null if the slot was freed
     */
    Attempt handBack(Attempt a) {
        ctx.handBack(a);
        Attempt next = leaveSlot();
        running.remove(a.id(), a);
        claims.release();
        ctx.signalSettled();
        return next;
    }

    // ---------------------------------------------------------------- running attempts

    /** Registers an attempt that takes over a slot it was claimed for. */
    void register(Attempt a) {
        running.put(a.id(), a);
    }

    /** Unregisters an attempt that left its slot (if it is still the one registered for its task). */
    void unregister(Attempt a) {
        running.remove(a.id(), a);
    }

    /** The attempt running the task, or null. */
    Attempt running(String taskId) {
        return running.get(taskId);
    }

    Collection<Attempt> runningAttempts() {
        return running.values();
    }

    int runningCount() {
        return running.size();
    }

    boolean noneRunning() {
        return running.isEmpty();
    }

    /** Forgets the running attempts (the shutdown settled them). */
    void clearRunning() {
        running.clear();
    }

    /** A copy of the held tasks, oldest first (remote-control listings). */
    List<Attempt> heldAttempts() {
        synchronized (lock) {
            return new ArrayList<>(held);
        }
    }

    int heldCount() {
        synchronized (lock) {
            return held.size();
        }
    }

    /** The claims whose leases the worker keeps: running and held tasks alike (a held task must not be lost). */
    List<Delivery> liveDeliveries() {
        List<Delivery> live = new ArrayList<>();
        for (Attempt a : running.values()) {
            if (!a.settled.get()) {
                live.add(a.delivery);
            }
        }
        synchronized (lock) {
            for (Attempt h : held) {
                live.add(h.delivery);
            }
        }
        return live;
    }

    // ---------------------------------------------------------------- handing held tasks back

    /**
     * Adaptive prefetch: when the oldest held task has waited too long for a slot, the tasks ahead of it are long;
     * the worker stops holding and hands what it holds back, so that an idle worker can run it now.
     */
    void handBackIfHeldTooLong() {
        long waited;
        synchronized (lock) {
            Attempt oldest = held.peekFirst();
            if (oldest == null) {
                return;
            }
            waited = ctx.ticker.read() - oldest.heldSince;
        }
        if (waited >= AdaptivePrefetch.HELD_TOO_LONG_NANOS) {
            adaptive.heldTooLong(waited);
            log.debug("worker {}: a held task waited {} ms for a slot; holding stops until tasks are short again",
                    ctx.id, TimeUnit.NANOSECONDS.toMillis(waited));
            handBackHeld();
        }
    }

    /**
     * Hands the held tasks back at once, so that other workers run them now rather than this one during its grace
     * period (after accepting turned false, so that no task is held any more) or while it has too many abandoned
     * threads.
     */
    void handBackHeld() {
        List<Delivery> back = new ArrayList<>();
        synchronized (lock) {
            for (Attempt h : held) {
                h.settle();
                back.add(h.delivery);
            }
            held.clear();
        }
        if (!back.isEmpty()) {
            if (!ctx.closed()) {
                log.info("worker {}: handing {} held task(s) back to the broker", ctx.id, back.size());
            }
            ctx.handBack(back);
            claims.release(back.size());
        }
    }
}
