package io.taskq.internal.worker;

import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Outcome;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the worker's "started" and "finished" reports into batched broker calls and refills the slots of
 * finished tasks in the same call ({@link Broker#finishAndClaim}): on Redis one script run reports the starts and
 * outcomes of a batch and claims the next tasks, which go straight to the threads that reported (no separate
 * claim, no hand-off to the fetch thread).
 *
 * <p>One broker call at a time. Under load a reporter thread makes the calls back to back, each for everything
 * queued while the previous one ran, so batches grow with the round-trip time. A task thread that finishes while
 * the reporter is idle and no call is in flight makes the call itself instead: a lone finish costs no thread
 * hand-off (at low load the hand-off to the reporter and back was a good part of the round trip); if more
 * finishes queued up meanwhile, the reporter takes over again. Start reports are fire and forget: they ride with
 * the next call, or, if none comes within {@link #START_LINGER_NANOS} (a long task), the reporter sends them
 * alone; usually the task's own finish comes first and supersedes its start in the same call, so STARTED becomes
 * visible at most that much later.
 *
 * <p>A finish may also be left to the batcher ({@link #finishLater}) when the finishing thread has other work (a
 * prefetched task): the reporter sends it with the next call and a callback takes the answer.
 */
final class BrokerBatcher {
    private static final Logger log = LoggerFactory.getLogger(BrokerBatcher.class);
    private static final int MAX_BATCH = 256;
    static final long START_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The broker's answer to one finish: accepted or stale, and a task claimed for the freed slot (or null). */
    record Reply(boolean accepted, Delivery next) {
    }

    /** What the worker claims along with a batch of finishes, and who gets the claimed tasks. */
    interface Refill {
        /**
         * The claim to make with a batch in which {@code freed} finishing threads wait for their next task, or
         * null to claim nothing.
         */
        ClaimRequest request(int freed);

        /**
         * Takes what {@code request} claimed (nothing if the call failed); called once for every non-null request,
         * with the same number of waiting threads.
         *
         * @return the claimed tasks left for the waiting threads, in order; each gets one, the first thread first
         */
        List<Delivery> claimed(ClaimRequest request, int freed, List<Delivery> claimed);
    }

    private record Started(Delivery delivery, Instant at, long queuedNanos) {
    }

    private static final class Finish {
        final Outcome outcome;
        /** The thread waiting for the reply, or null when a callback takes it ({@link #finishLater}). */
        final Thread thread;
        final BiConsumer<Reply, RuntimeException> callback;
        volatile Reply reply;
        volatile RuntimeException error;
        volatile boolean done;

        Finish(Outcome outcome, Thread thread, BiConsumer<Reply, RuntimeException> callback) {
            this.outcome = outcome;
            this.thread = thread;
            this.callback = callback;
        }
    }

    private final Broker broker;
    private final Ticker ticker;
    private final WorkerThreads threads;
    private final String name;
    private final Refill refill;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a start report is queued or taken, and when a broker call ends. */
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Started> starts = new ArrayDeque<>();
    private final ArrayDeque<Finish> finishes = new ArrayDeque<>();
    /** One broker call at a time, so that reports queued meanwhile go together in the next one. */
    private boolean busy;
    /** The reporter is making calls or about to (not waiting): finishes are left to it. */
    private boolean reporterWorking;
    private volatile Thread thread;
    private volatile boolean running = true;

    /**
     * @param name   the reporter thread's name
     * @param refill the claim to make along with each batch, and who gets what it claims
     */
    BrokerBatcher(Broker broker, Ticker ticker, WorkerThreads threads, String name, Refill refill) {
        this.broker = broker;
        this.ticker = ticker;
        this.threads = threads;
        this.name = name;
        this.refill = refill;
    }

    /** Starts the reporter thread. */
    void start() {
        Thread t = threads.newThread(name, this::reporter);
        thread = t;
        t.start();
    }

    /** Reports that a task started; fire and forget (a stale or late report is ignored by the broker). */
    void started(Delivery d, Instant at) {
        lock.lock();
        try {
            starts.add(new Started(d, at, ticker.read()));
            if (starts.size() == 1) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reports an outcome and waits for the broker's answer, making the broker call on this thread if no other
     * call is in progress. If the reply carries a delivery, the caller's slot now belongs to that task and the
     * caller must run it.
     *
     * An interrupt while waiting does not abandon the report (it is kept and the thread's interrupt status set
     * again on return): the outcome must reach the broker, or the task would run again after its lease.
     *
     * @throws RuntimeException if the broker call failed
     */
    Reply finish(Outcome outcome) {
        if (!running) {
            throw new IllegalStateException("worker stopped");
        }
        Finish me = new Finish(outcome, Thread.currentThread(), null);
        lock.lock();
        try {
            finishes.add(me);
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (!me.done) {
            List<Finish> batchFinishes = null;
            List<Started> batchStarts = null;
            lock.lock();
            try {
                if (!me.done && !busy && (!reporterWorking || !running)) {
                    busy = true;
                    batchFinishes = takeFinishes();
                    batchStarts = new ArrayList<>(starts);
                    starts.clear();
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (batchFinishes != null) {
                try {
                    flush(batchStarts, batchFinishes);
                } finally {
                    endCall();
                }
            } else if (!me.done) {
                LockSupport.park(this);
                // An interrupt does not abandon the report: it is queued and this thread may be next to send it.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (me.error != null) {
            throw me.error;
        }
        return me.reply;
    }

    /**
     * Reports an outcome without waiting: the reporter sends it with the next call, and {@code callback} gets the
     * broker's answer (never a claimed task) or the call's failure, on whichever thread made the call.
     *
     * @throws IllegalStateException if the batcher is closed
     */
    void finishLater(Outcome outcome, BiConsumer<Reply, RuntimeException> callback) {
        lock.lock();
        try {
            // Checked under the lock: the reporter, which also decides under it, then either sends this or
            // has not stopped yet.
            if (!running) {
                throw new IllegalStateException("worker stopped");
            }
            finishes.add(new Finish(outcome, null, callback));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a task thread's broker call: finishes that queued up meanwhile go to the reporter, or, once it has
     * stopped, to the first of their threads.
     */
    private void endCall() {
        Finish next = null;
        lock.lock();
        try {
            busy = false;
            if (!finishes.isEmpty()) {
                reporterWorking = true;
                if (!running) {
                    for (Finish f : finishes) {
                        if (f.thread != null) {
                            next = f;
                            break;
                        }
                    }
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (next != null) {
            LockSupport.unpark(next.thread);
        }
    }

    /**
     * The reporter: sends queued finishes back to back while there are any (under load), and start reports that no
     * finish picked up within the linger time (tasks that run longer).
     */
    private void reporter() {
        while (true) {
            List<Finish> batchFinishes = null;
            List<Started> batchStarts;
            lock.lock();
            try {
                while (true) {
                    if (!busy && !finishes.isEmpty()) {
                        batchFinishes = takeFinishes();
                        break;
                    }
                    if (!busy && !starts.isEmpty() && (!running
                            || ticker.read() - starts.peek().queuedNanos >= START_LINGER_NANOS)) {
                        break;
                    }
                    if (!running && starts.isEmpty() && !busy) {
                        reporterWorking = false;
                        return;
                    }
                    // Idle: a task thread that finishes now makes its own call.
                    reporterWorking = false;
                    long wait = starts.isEmpty() || busy ? TimeUnit.MILLISECONDS.toNanos(200)
                            : START_LINGER_NANOS - (ticker.read() - starts.peek().queuedNanos);
                    changed.awaitNanos(Math.max(wait, 1));
                }
                busy = true;
                reporterWorking = true;
                batchStarts = new ArrayList<>(starts);
                starts.clear();
            } catch (InterruptedException e) {
                if (running) {
                    continue;
                }
                return;
            } finally {
                lock.unlock();
            }
            try {
                if (batchFinishes != null) {
                    flush(batchStarts, batchFinishes);
                } else {
                    sendStarts(batchStarts);
                }
            } finally {
                lock.lock();
                try {
                    busy = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Takes up to a batch of queued finishes; the caller holds the lock. */
    private List<Finish> takeFinishes() {
        List<Finish> batch = new ArrayList<>(Math.min(finishes.size(), MAX_BATCH));
        while (!finishes.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(finishes.poll());
        }
        return batch;
    }

    private void sendStarts(List<Started> send) {
        List<Delivery> ds = new ArrayList<>(send.size());
        for (Started s : send) {
            ds.add(s.delivery);
        }
        try {
            broker.markStarted(ds, send.get(send.size() - 1).at);
        } catch (RuntimeException e) {
            log.warn("could not record {} task start(s): {}", ds.size(), e.toString());
        }
    }

    /** Sends one batch: its starts and outcomes, with the refill claim for the threads waiting in it. */
    private void flush(List<Started> starts, List<Finish> finishes) {
        List<Outcome> outcomes = new ArrayList<>(finishes.size());
        for (Finish f : finishes) {
            outcomes.add(f.outcome);
        }
        List<Started> send = startsWithoutOutcome(starts, finishes);
        List<Delivery> started = new ArrayList<>(send.size());
        for (Started s : send) {
            started.add(s.delivery);
        }
        Instant at = send.isEmpty() ? Instant.EPOCH : send.get(send.size() - 1).at;
        int waiting = 0;
        for (Finish f : finishes) {
            if (f.thread != null) {
                waiting++;
            }
        }
        ClaimRequest next = null;
        try {
            next = running ? refill.request(waiting) : null;
            FinishAndClaim r = broker.finishAndClaim(started, at, outcomes, next);
            List<Delivery> claimed = withinAsked(r.claimed(), next);
            ClaimRequest asked = next;
            // Taken from here on, even if the refill fails: no second call with nothing claimed.
            next = null;
            List<Delivery> forThreads = asked == null ? List.of() : refill.claimed(asked, waiting, claimed);
            int given = 0;
            for (int i = 0; i < finishes.size(); i++) {
                Finish f = finishes.get(i);
                Delivery d = f.thread != null && given < forThreads.size() ? forThreads.get(given++) : null;
                f.reply = new Reply(r.accepted().get(i), d);
            }
        } catch (RuntimeException e) {
            for (Finish f : finishes) {
                f.error = e;
            }
        } finally {
            if (next != null) {
                // The call failed: whatever the request reserved is free again.
                refill.claimed(next, waiting, List.of());
            }
            wake(finishes);
        }
    }

    /** A start reported in the same call as its task's outcome would be overwritten at once: those are left out. */
    private static List<Started> startsWithoutOutcome(List<Started> starts, List<Finish> finishes) {
        Set<Delivery> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Finish f : finishes) {
            finished.add(f.outcome.delivery());
        }
        List<Started> send = new ArrayList<>(starts.size());
        for (Started s : starts) {
            if (!finished.contains(s.delivery)) {
                send.add(s);
            }
        }
        return send;
    }

    /**
     * The claimed tasks within what {@code asked} allowed: a broker must not return more than asked; any surplus
     * goes back rather than overfill the slots.
     */
    private List<Delivery> withinAsked(List<Delivery> claimed, ClaimRequest asked) {
        int extra = asked == null ? claimed.size() : claimed.size() - asked.max();
        if (extra <= 0) {
            return claimed;
        }
        try {
            broker.release(claimed.subList(claimed.size() - extra, claimed.size()));
        } catch (RuntimeException e) {
            log.warn("could not hand back {} surplus task(s); their leases will expire", extra);
        }
        return claimed.subList(0, claimed.size() - extra);
    }

    /** Marks the batch answered: callbacks run here, waiting threads are woken (the caller's own is awake). */
    private static void wake(List<Finish> finishes) {
        Thread me = Thread.currentThread();
        for (Finish f : finishes) {
            f.done = true;
            if (f.callback != null) {
                answer(f);
            } else if (f.thread != me) {
                LockSupport.unpark(f.thread);
            }
        }
    }

    private static void answer(Finish f) {
        try {
            f.callback.accept(f.reply, f.error);
        } catch (RuntimeException e) {
            log.error("outcome callback of {} failed", f.outcome.delivery().id(), e);
        }
    }

    /** Sends the start reports still queued, then stops; later finishes are refused. */
    void close() {
        running = false;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        t.interrupt();
    }
}
