package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three instances, one leader; the leader dies or stalls mid-run; every due run is published exactly once. */
class SchedulerHaTest {
    private static final Duration EVERY = Duration.ofSeconds(10);

    private final Cluster cluster = new Cluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void leaderKilledMidRunEachRunPublishedOnce() {
        Cluster.Instance a = cluster.instance("a").start();
        Cluster.Instance b = cluster.instance("b").start();
        Cluster.Instance c = cluster.instance("c").start();
        cluster.startWorker(c);
        List<Cluster.Instance> alive = new ArrayList<>(List.of(a, b, c));
        Cluster.Instance leader = cluster.awaitLeader(a, b, c);
        a.scheduler.add(everyRun(), "test");
        Instant first = a.scheduler.entry("tick").orElseThrow().nextRunAt();

        for (int step = 0; step < 8; step++) {
            Instant due = a.scheduler.entry("tick").orElseThrow().nextRunAt();
            if (step == 2 || step == 5) {
                // Dies holding the lease, just before a run falls due: nobody publishes until the lease expires.
                leader.kill();
                alive.remove(leader);
                cluster.advanceTo(due);
                sleep(200); // absence needs a wait: ten loop periods of the survivors
                assertEquals(0, cluster.accepted(Scheduler.runId("tick", due)), "published while lease held");
                cluster.clock.advance(Cluster.LEASE);
                Cluster.Instance previous = leader;
                leader = cluster.awaitLeader(alive.toArray(Cluster.Instance[]::new));
                assertNotSame(previous, leader);
            } else {
                cluster.advanceTo(due);
            }
            // The runs that fell due during the failover were superseded (missed); runAll publishes them all.
            awaitAllUpTo(first, cluster.clock.instant());
        }
        List<String> expected = idsBetween(first, cluster.clock.instant());
        assertTrue(expected.size() >= 12, "runs: " + expected.size());
        assertPublishedOnce(expected);
        // The counter is created before it is incremented: wait for the count, not for the key.
        Await.until(Cluster.WAIT, "every run executed", () -> expected.stream()
                .allMatch(id -> cluster.tasks.executions.getOrDefault(id, new AtomicInteger()).get() > 0));
        for (String id : expected) {
            assertEquals(1, cluster.tasks.executions.get(id).get(), "executions of " + id);
        }
        Cluster.Instance finalLeader = leader;
        Await.until(Cluster.WAIT, "run count saved", () -> expected.size()
                == finalLeader.scheduler.entry("tick").orElseThrow().totalRunCount());
    }

    @Test
    void stalledLeaderWhoseLeaseWasTakenPublishesNothingTwice() {
        Cluster.Instance a = cluster.instance("a").start();
        Cluster.Instance leader = cluster.awaitLeader(a);
        Cluster.Instance b = cluster.instance("b").start();
        Cluster.Instance c = cluster.instance("c").start();
        a.scheduler.add(everyRun(), "test");

        Instant first = a.scheduler.entry("tick").orElseThrow().nextRunAt();
        cluster.advanceTo(first);
        awaitAllUpTo(first, cluster.clock.instant());

        // The leader stalls in the middle of publishing the next run (a GC pause, a network hang)...
        Instant second = a.scheduler.entry("tick").orElseThrow().nextRunAt();
        String secondId = Scheduler.runId("tick", second);
        leader.pause();
        cluster.advanceTo(second);
        Await.until(Cluster.WAIT, "leader stuck in enqueue", () -> leader.broker.blocked.get() > 0);
        // ...long enough for its lease to expire and another instance to take over and publish.
        cluster.clock.advance(Cluster.LEASE.plusSeconds(1));
        Cluster.Instance next = cluster.awaitLeader(b, c);
        awaitAllUpTo(first, cluster.clock.instant());
        assertEquals(1, cluster.attempts.get(secondId).get());

        // The old leader wakes up and finishes its publish: the broker drops the duplicate id, and the state save
        // fails its compare-and-set, so it does not move the schedule either.
        leader.resume();
        Await.until(Cluster.WAIT, "old leader's late publish attempted",
                () -> cluster.attempts.get(secondId).get() >= 2);
        Await.until(Cluster.WAIT, "old leader notices it lost the lease", () -> !leader.scheduler.isLeader());
        assertTrue(next.scheduler.isLeader());

        for (int i = 0; i < 3; i++) {
            Instant due = next.scheduler.entry("tick").orElseThrow().nextRunAt();
            cluster.advanceTo(due);
            awaitAllUpTo(first, cluster.clock.instant());
        }
        List<String> expected = idsBetween(first, cluster.clock.instant());
        assertPublishedOnce(expected);
        Await.until(Cluster.WAIT, "run count saved", () -> expected.size()
                == a.scheduler.entry("tick").orElseThrow().totalRunCount());
    }

    /** The entry under test: every due run is to be published, however late, so its policy is run-all. */
    private static PeriodicTask everyRun() {
        return PeriodicTask.builder("tick", "tick", Schedule.every(EVERY)).missedRuns(MissedRunPolicy.runAll(1_000))
                .build();
    }

    /** Waits until every run up to {@code now} is published and the entry's state has moved past them. */
    private void awaitAllUpTo(Instant first, Instant now) {
        for (String id : idsBetween(first, now)) {
            cluster.awaitAccepted(id);
        }
        Await.until(Cluster.WAIT, "state saved", () -> cluster.entries().stream()
                .allMatch(e -> e.nextRunAt().isAfter(now)));
    }

    private static List<String> idsBetween(Instant first, Instant last) {
        List<String> ids = new ArrayList<>();
        for (Instant t = first; !t.isAfter(last); t = t.plus(EVERY)) {
            ids.add(Scheduler.runId("tick", t));
        }
        return ids;
    }

    @Test
    void gracefulCloseHandsOverAtOnce() {
        Cluster.Instance a = cluster.instance("a").start();
        Cluster.Instance leader = cluster.awaitLeader(a);
        Cluster.Instance b = cluster.instance("b").start();
        leader.scheduler.close();
        // No clock movement: the released lease is taken without waiting for it to expire.
        assertEquals(b, cluster.awaitLeader(b));
    }

    @Test
    void publishesWithinASecondOfTheDueInstantWithoutPolling() {
        // Real time, a long maximum sleep: only waking up at the due instant can be on time.
        Cluster.Instance a = cluster.instance("a", builder -> builder.maxSleep(Duration.ofSeconds(5))).start();
        cluster.awaitLeader(a);
        a.scheduler.add(PeriodicTask.builder("fast", "tick", Schedule.every(Duration.ofMillis(700)))
                // On a loaded machine a pass may find two runs due; this test is about timing, not collapsing.
                .missedRuns(MissedRunPolicy.runAll(10)).build(), "t");
        Instant start = a.scheduler.entry("fast").orElseThrow().nextRunAt();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Scheduler.runId("fast", start.plusMillis(700L * i)));
        }
        for (String id : ids) {
            cluster.awaitAccepted(id);
        }
        for (int i = 0; i < 3; i++) {
            Duration late = Duration.between(start.plusMillis(700L * i), cluster.acceptedAt.get(ids.get(i)));
            assertTrue(!late.isNegative() && late.compareTo(Duration.ofSeconds(1)) < 0, "published " + late + " late");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void assertPublishedOnce(List<String> expected) {
        Map<String, Integer> counts = new TreeMap<>();
        cluster.accepted.forEach((id, n) -> {
            if (id.startsWith("sched:tick:")) {
                counts.put(id, n.get());
            }
        });
        Map<String, Integer> want = new TreeMap<>();
        expected.forEach(id -> want.put(id, 1));
        assertEquals(want, counts);
        AtomicInteger total = new AtomicInteger();
        counts.values().forEach(total::addAndGet);
        assertEquals(expected.size(), total.get());
    }
}
