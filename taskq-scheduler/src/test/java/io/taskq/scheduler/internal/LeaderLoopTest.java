package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Await;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.spi.Leases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop alone, one pass at a time: leadership changes, re-reads, and how long it sleeps. */
class LeaderLoopTest {
    private static final Instant T = Instant.parse("2030-01-01T10:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(15);
    private static final Duration MAX_SLEEP = Duration.ofSeconds(5);

    /** Stands still, so that the computed waits are exact. */
    private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    private final Parts parts = new Parts(clock);
    private final SwitchLeases leases = new SwitchLeases();
    private final List<Thread> made = new ArrayList<>();
    private final ThreadFactory threads = r -> {
        Thread t = new Thread(r, "test-loop");
        t.setDaemon(true);
        made.add(t);
        return t;
    };
    private final LeaderLoop loop = new LeaderLoop(new LeaderLoop.Lease(leases, "lease", "me", TTL, MAX_SLEEP),
            clock, threads, parts.cache, parts.publisher, parts.listeners,
                parts.schedulerEvents);

    @AfterEach
    void close() {
        loop.stop();
        parts.close();
    }

    /** Leases granted or refused as the test says, counting the calls. */
    private static final class SwitchLeases implements Leases {
        final AtomicBoolean grant = new AtomicBoolean(true);
        final AtomicInteger acquires = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();
        volatile RuntimeException failure;

        @Override
        public boolean tryAcquire(String name, String owner, Duration ttl) {
            acquires.incrementAndGet();
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
            return grant.get();
        }

        @Override
        public void release(String name, String owner) {
            releases.incrementAndGet();
        }

        @Override
        public Optional<String> holder(String name) {
            return Optional.empty();
        }
    }

    private static PeriodicTask hourly(String name) {
        return PeriodicTask.builder(name, "tick", Schedule.every(Duration.ofHours(1)))
                .missedRuns(MissedRunPolicy.runOnce()).build();
    }

    @Test
    void aFollowerSleepsTheBoundAndPublishesNothing() {
        leases.grant.set(false);
        parts.put(hourly("h"), T);
        assertEquals(MAX_SLEEP.toMillis(), loop.iteration(), "min(maxSleep, a third of the lease)");
        assertFalse(loop.isLeader());
        assertEquals(List.of(), parts.events.heard());
        assertEquals(T, parts.stored("h").state().nextRunAt());
    }

    @Test
    void theLeaderPublishesWhatIsDueAndSleepsUntilTheNextRun() {
        parts.put(hourly("h"), T.minusSeconds(1));
        Instant next = T.plus(Duration.ofHours(1));
        parts.put(PeriodicTask.builder("soon", "tick", Schedule.every(Duration.ofHours(1), T.plusMillis(1_500)))
                .build(), T.plusMillis(1_500));

        assertEquals(1_500, loop.iteration());
        assertTrue(loop.isLeader());
        assertEquals(List.of("leader me true", "published " + RunSubmitter.runId("h", T.minusSeconds(1))),
                parts.events.heard());
        assertEquals(next, parts.stored("h").state().nextRunAt());
    }

    @Test
    void theWaitIsBoundedByAThirdOfTheLeaseAndRoundedUp() {
        LeaderLoop shortLease = new LeaderLoop(new LeaderLoop.Lease(leases, "lease", "me", Duration.ofSeconds(3),
                Duration.ofSeconds(5)), clock, threads, parts.cache, parts.publisher, parts.listeners,
                parts.schedulerEvents);
        assertEquals(1_000, shortLease.iteration(), "nothing due: a third of the lease");

        // An audited edit: the loop sees the change count move and re-reads.
        parts.editor.add(PeriodicTask.builder("h", "tick", Schedule.every(Duration.ofHours(1),
                T.plusNanos(1_200_001))).build(), "test");
        assertEquals(2, shortLease.iteration(), "1.2 ms rounds up, not down to a wake-up that finds nothing");
    }

    @Test
    void aNewLeaderReReadsEntriesItCachedAsAFollower() {
        leases.grant.set(false);
        loop.iteration();
        // A write without an audit record is not a change: a follower would not re-read for it.
        parts.put(hourly("h"), T);
        leases.grant.set(true);
        loop.iteration();
        assertEquals(List.of("leader me true", "published " + RunSubmitter.runId("h", T)), parts.events.heard());
    }

    @Test
    void losingTheLeaseIsHeardAndStopsPublishing() {
        loop.iteration();
        leases.grant.set(false);
        parts.put(hourly("h"), T);
        assertEquals(MAX_SLEEP.toMillis(), loop.iteration());
        assertFalse(loop.isLeader());
        assertEquals(List.of("leader me true", "leader me false"), parts.events.heard());
        Entry e = parts.stored("h");
        assertEquals(0, e.state().totalRunCount());
    }

    @Test
    void theThreadComesFromTheFactoryAtStartAndAFailedPassIsRetried() {
        // Retries after maxSleep: short here, so that the test does not wait for it.
        LeaderLoop fast = new LeaderLoop(new LeaderLoop.Lease(leases, "lease", "me", TTL, Duration.ofMillis(20)),
                clock, threads, parts.cache, parts.publisher, parts.listeners,
                parts.schedulerEvents);
        assertEquals(List.of(), made, "no thread before start");
        leases.failure = new IllegalStateException("store down");
        try {
            fast.start();
            assertEquals(1, made.size());
            assertThrows(IllegalStateException.class, fast::start);
            Await.until(Duration.ofSeconds(10), "the failure heard",
                    () -> parts.events.heard().contains("failed store down"));
            leases.failure = null;
            Await.until(Duration.ofSeconds(10), "leader after the outage", fast::isLeader);
        } finally {
            fast.stop();
        }
        assertFalse(made.get(0).isAlive(), "stop waits for the thread");
        fast.resign();
        assertEquals(1, leases.releases.get());
        assertFalse(fast.isLeader());
    }

    @Test
    void aChangeNotificationWakesTheSleepingLoop() {
        leases.grant.set(false);
        LeaderLoop slow = new LeaderLoop(new LeaderLoop.Lease(leases, "lease", "me", Duration.ofHours(3),
                Duration.ofHours(1)), clock, threads, parts.cache, parts.publisher, parts.listeners,
                parts.schedulerEvents);
        slow.start();
        try {
            Await.until(Duration.ofSeconds(10), "first pass", () -> leases.acquires.get() >= 1);
            int before = leases.acquires.get();
            slow.wakeUp();
            Await.until(Duration.ofSeconds(10), "a pass long before the hour's sleep ended",
                    () -> leases.acquires.get() > before);
        } finally {
            slow.stop();
        }
        assertSame(Thread.State.TERMINATED, made.get(0).getState());
    }
}
