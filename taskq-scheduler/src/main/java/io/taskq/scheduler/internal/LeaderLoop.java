package io.taskq.scheduler.internal;

import io.taskq.spi.Leases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership and its timing: the one thread that takes or renews the lease, follows the store's changes, lets the
 * {@link RunPublisher} publish while this instance leads, and sleeps until the next due run, a change notification,
 * or the lease renewal (a third of the lease), whichever comes first.
 */
final class LeaderLoop {
    private static final Logger log = LoggerFactory.getLogger(LeaderLoop.class);

    private static final long MIN_WAIT_MILLIS = 20;
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(30);

    /** The lease, and how long the loop may sleep. */
    record Lease(Leases leases, String name, String owner, Duration ttl, Duration maxSleep) {
    }

    private final Lease lease;
    private final Clock clock;
    private final ThreadFactory threads;
    private final EntryCache cache;
    private final RunPublisher publisher;
    private final Listeners listeners;
    private final SchedulerEvents events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean wakeRequested;
    private volatile boolean stopping;
    private volatile boolean leader;
    private Thread thread;

    LeaderLoop(Lease lease, Clock clock, ThreadFactory threads, EntryCache cache, RunPublisher publisher,
               Listeners listeners, SchedulerEvents events) {
        this.lease = lease;
        this.clock = clock;
        this.threads = threads;
        this.cache = cache;
        this.publisher = publisher;
        this.listeners = listeners;
        this.events = events;
    }

    /** Starts the loop's thread. */
    synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the loop already started");
        }
        thread = threads.newThread(this::run);
        thread.start();
    }

    /** Stops the loop and waits (bounded) for its thread, which may be inside a publish, to end. */
    void stop() {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = thread;
        }
        wakeUp();
        if (t != null) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Gives the lease up, so that another instance takes over at once. Only after {@link #stop()}: a release followed
     * by one more publish would let two leaders overlap.
     */
    void resign() {
        try {
            lease.leases().release(lease.name(), lease.owner());
        } catch (RuntimeException e) {
            log.warn("could not release scheduler lease; another instance takes over when it expires", e);
        }
        if (leader) {
            leader = false;
            events.leadership(false, lease.name());
        }
    }

    /** Whether this instance held the lease at its last check. */
    boolean isLeader() {
        return leader;
    }

    /** Ends the current sleep: something changed. */
    void wakeUp() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!stopping) {
            long waitMillis;
            try {
                waitMillis = iteration();
            } catch (RuntimeException e) {
                // A store or broker outage: try again after the normal bound, without spinning.
                waitMillis = lease.maxSleep().toMillis();
                log.warn("scheduler {}: iteration failed, retrying in {} ms", lease.owner(), waitMillis, e);
                listeners.tell(l -> l.iterationFailed(e));
            }
            await(waitMillis);
        }
    }

    private void await(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!wakeRequested && !stopping && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One pass: renew or take the lease, re-read the entries on a change, publish what is due; returns how long to
     * sleep, in milliseconds. Runs on the loop's thread (and in this package's tests, on theirs).
     */
    long iteration() {
        boolean nowLeader = lease.leases().tryAcquire(lease.name(), lease.owner(), lease.ttl());
        boolean becameLeader = nowLeader && !leader;
        if (nowLeader != leader) {
            if (nowLeader) {
                log.info("scheduler {} is now the leader", lease.owner());
            } else {
                log.warn("scheduler {} lost the lease; another instance leads now", lease.owner());
            }
            leader = nowLeader;
            listeners.tell(l -> l.leadershipChanged(lease.owner(), nowLeader));
            events.leadership(nowLeader, lease.name());
        }
        // A new leader trusts nothing it cached as a follower.
        cache.refresh(becameLeader);
        if (stopping) {
            return 0;
        }
        if (nowLeader) {
            publisher.publishDue(clock.instant(), () -> stopping);
        }
        return waitMillis(nowLeader);
    }

    private long waitMillis(boolean nowLeader) {
        long bound = Math.min(lease.maxSleep().toMillis(), Math.max(1, lease.ttl().toMillis() / 3));
        Optional<Instant> nextDue = nowLeader ? cache.nextDue() : Optional.empty();
        if (nextDue.isEmpty()) {
            return bound;
        }
        long nanos = Duration.between(clock.instant(), nextDue.get()).toNanos();
        // Round up: waking a fraction of a millisecond early would find nothing due and sleep again.
        long millis = nanos <= 0 ? MIN_WAIT_MILLIS : (nanos + 999_999) / 1_000_000;
        return Math.min(bound, millis);
    }
}
