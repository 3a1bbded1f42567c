package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskState;
import io.taskq.contract.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Missed-run policies after downtime, the overlap rule, one-off and clocked entries, start time and expiry. */
class MissedRunsAndOverlapTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Cluster cluster = new Cluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /**
     * One run, then every instance down for 10.5 minutes, then a new instance: runs +1..+9 minutes are missed (older
     * than the one-minute grace), +10 is merely late.
     */
    private List<Instant> runsAfterDowntime(MissedRunPolicy policy) {
        Cluster.Instance a = cluster.instance("a").start();
        cluster.awaitLeader(a);
        PeriodicTaskInfo info = a.scheduler.add(PeriodicTask.builder("m", "tick", Schedule.every(MINUTE))
                .missedRuns(policy).build(), "test");
        Instant t0 = info.nextRunAt();
        cluster.advanceTo(t0);
        cluster.awaitAccepted(Scheduler.runId("m", t0));
        cluster.awaitCaughtUp();
        a.close();

        cluster.clock.advance(Duration.ofMinutes(10).plusSeconds(30));
        Cluster.Instance b = cluster.instance("b").start();
        cluster.awaitLeader(b);
        cluster.awaitCaughtUp();
        PeriodicTaskInfo after = b.scheduler.entry("m").orElseThrow();
        assertEquals(t0.plus(Duration.ofMinutes(11)), after.nextRunAt(), "next run is the next future one");

        List<Instant> runs = new ArrayList<>();
        for (int k = 1; k <= 10; k++) {
            if (cluster.accepted(Scheduler.runId("m", t0.plus(MINUTE.multipliedBy(k)))) == 1) {
                runs.add(t0.plus(MINUTE.multipliedBy(k)));
            }
        }
        assertEquals(runs.size() + 1, cluster.runsOf("m").size(), "no other ids");
        assertEquals(runs.size() + 1, after.totalRunCount());
        List<Instant> offsets = new ArrayList<>();
        runs.forEach(r -> offsets.add(Instant.ofEpochSecond(Duration.between(t0, r).toMinutes())));
        return offsets;
    }

    private static List<Instant> minutes(int... ks) {
        List<Instant> out = new ArrayList<>();
        for (int k : ks) {
            out.add(Instant.ofEpochSecond(k));
        }
        return out;
    }

    @Test
    void runOnceNowPublishesOneRunForAllMissedOnes() {
        // One run for the missed runs and the late one, named after the earliest, so that racing leaders agree.
        assertEquals(minutes(1), runsAfterDowntime(MissedRunPolicy.runOnce()));
    }

    /** A one-second interval, every instance down for 28 s: all of its due runs are within the one-minute grace. */
    private List<Long> tinyIntervalAfterShortDowntime(MissedRunPolicy policy) {
        Cluster.Instance a = cluster.instance("a").start();
        cluster.awaitLeader(a);
        Instant t0 = a.scheduler.add(PeriodicTask.builder("s", "tick", Schedule.every(Duration.ofSeconds(1)))
                .missedRuns(policy).build(), "test").nextRunAt();
        cluster.advanceTo(t0);
        cluster.awaitAccepted(Scheduler.runId("s", t0));
        cluster.awaitCaughtUp();
        a.close();

        cluster.clock.advance(Duration.ofSeconds(28));
        Cluster.Instance b = cluster.instance("b").start();
        cluster.awaitLeader(b);
        cluster.awaitCaughtUp();
        assertEquals(t0.plusSeconds(29), b.scheduler.entry("s").orElseThrow().nextRunAt());
        List<Long> seconds = new ArrayList<>();
        for (String id : cluster.runsOf("s")) {
            seconds.add((Long.parseLong(id.substring(id.lastIndexOf(':') + 1)) - t0.toEpochMilli()) / 1000);
        }
        assertEquals(seconds.size(), b.scheduler.entry("s").orElseThrow().totalRunCount());
        return seconds;
    }

    @Test
    void lateRunsCollapseIntoOnePublishWithRunOnce() {
        // Issue 13: these 28 late runs used to be published at once. Now one, named after the earliest.
        assertEquals(List.of(0L, 1L), tinyIntervalAfterShortDowntime(MissedRunPolicy.runOnce()));
    }

    @Test
    void lateRunsAreDroppedExceptTheCurrentOneWithSkip() {
        assertEquals(List.of(0L, 28L), tinyIntervalAfterShortDowntime(MissedRunPolicy.skip()));
    }

    @Test
    void lateRunsAreAllPublishedWithARoomyRunAll() {
        List<Long> all = new ArrayList<>();
        for (long k = 0; k <= 28; k++) {
            all.add(k);
        }
        assertEquals(all, tinyIntervalAfterShortDowntime(MissedRunPolicy.runAll(100)));
    }

    @Test
    void skipDropsMissedRuns() {
        assertEquals(minutes(10), runsAfterDowntime(MissedRunPolicy.skip()));
    }

    @Test
    void runAllPublishesTheOldestMissedRunsUpToTheCap() {
        assertEquals(minutes(1, 2, 3, 10), runsAfterDowntime(MissedRunPolicy.runAll(3)));
    }

    @Test
    void runAllWithARoomyCapPublishesEveryMissedRun() {
        assertEquals(minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), runsAfterDowntime(MissedRunPolicy.runAll(50)));
    }

    private Cluster.Instance leaderWithCanary() {
        Cluster.Instance a = cluster.instance("a", b -> b.overlapLookback(Duration.ofSeconds(90))).start();
        cluster.awaitLeader(a);
        a.scheduler.add(Cluster.canary(), "setup");
        return a;
    }

    private static Instant nextMinute(Instant now) {
        return now.atOffset(ZoneOffset.UTC).withSecond(0).withNano(0).plusMinutes(1).toInstant();
    }

    @Test
    void skipIfRunningSkipsWhileThePreviousRunIsRunning() {
        Cluster.Instance a = leaderWithCanary();
        cluster.tasks.slowGate = new CountDownLatch(1);
        cluster.startWorker(a);
        a.scheduler.add(PeriodicTask.builder("s", "slow", Schedule.every(MINUTE))
                .overlap(OverlapPolicy.SKIP_IF_RUNNING).build(), "test");
        Instant t1 = nextMinute(cluster.clock.instant());
        cluster.stepTo(t1);
        TaskHandle<Object> first = a.taskq.handle("default", Scheduler.runId("s", t1));
        Await.until(Cluster.WAIT, "first run started", () -> first.state() == TaskState.STARTED);

        cluster.stepTo(t1.plus(MINUTE));
        assertEquals(0, cluster.accepted(Scheduler.runId("s", t1.plus(MINUTE))), "skipped: previous still running");
        assertEquals(t1.plus(MINUTE.multipliedBy(2)), a.scheduler.entry("s").orElseThrow().nextRunAt());

        cluster.tasks.slowGate.countDown();
        Await.until(Cluster.WAIT, "first run finished", () -> first.state() == TaskState.SUCCESS);
        cluster.stepTo(t1.plus(MINUTE.multipliedBy(2)));
        assertEquals(1, cluster.accepted(Scheduler.runId("s", t1.plus(MINUTE.multipliedBy(2)))));
        assertEquals(2, a.scheduler.entry("s").orElseThrow().totalRunCount());
    }

    @Test
    void skipIfRunningCountsAQueuedRunAsRunningUntilTheLookBack() {
        Cluster.Instance a = leaderWithCanary();   // no worker: runs stay queued (PENDING)
        a.scheduler.add(PeriodicTask.builder("s", "tick", Schedule.every(MINUTE))
                .overlap(OverlapPolicy.SKIP_IF_RUNNING).build(), "test");
        Instant t1 = nextMinute(cluster.clock.instant());
        cluster.stepTo(t1);
        cluster.stepTo(t1.plus(MINUTE));
        assertEquals(0, cluster.accepted(Scheduler.runId("s", t1.plus(MINUTE))), "previous run still queued");
        // Two minutes after it was published, beyond the 90 s look-back, the unknown run is presumed gone.
        cluster.stepTo(t1.plus(MINUTE.multipliedBy(2)));
        assertEquals(1, cluster.accepted(Scheduler.runId("s", t1.plus(MINUTE.multipliedBy(2)))));
    }

    @Test
    void allowOverlapPublishesWhileThePreviousRunIsRunning() {
        Cluster.Instance a = leaderWithCanary();
        cluster.tasks.slowGate = new CountDownLatch(1);
        cluster.startWorker(a);
        a.scheduler.add(PeriodicTask.builder("s", "slow", Schedule.every(MINUTE)).build(), "test");
        Instant t1 = nextMinute(cluster.clock.instant());
        cluster.stepTo(t1);
        TaskHandle<Object> first = a.taskq.handle("default", Scheduler.runId("s", t1));
        Await.until(Cluster.WAIT, "first run started", () -> first.state() == TaskState.STARTED);
        cluster.stepTo(t1.plus(MINUTE));
        assertEquals(1, cluster.accepted(Scheduler.runId("s", t1.plus(MINUTE))));
        cluster.tasks.slowGate.countDown();
    }

    @Test
    void clockedEntryRunsOnceThenDisablesItself() {
        Cluster.Instance a = leaderWithCanary();
        Instant at = nextMinute(cluster.clock.instant()).plusSeconds(30);
        PeriodicTaskInfo info = a.scheduler.add(PeriodicTask.builder("once", "tick", Schedule.clocked(at)).build(),
                "alice");
        assertEquals(at, info.nextRunAt());
        cluster.advanceTo(at);
        cluster.awaitAccepted(Scheduler.runId("once", at));
        Await.until(Cluster.WAIT, "disabled", () -> !a.scheduler.entry("once").orElseThrow().task().enabled());
        PeriodicTaskInfo done = a.scheduler.entry("once").orElseThrow();
        assertNull(done.nextRunAt());
        assertEquals(1, done.totalRunCount());
        AuditRecord disable = a.scheduler.audit(1).get(0);
        assertEquals("disable", disable.action());
        assertEquals("scheduler", disable.actor());
        assertEquals("once", disable.entry());

        cluster.stepTo(at.plusSeconds(30));
        cluster.stepTo(at.plusSeconds(90));
        // Enabling a clocked entry that already ran does not run it again; giving it a new time does.
        assertNull(a.scheduler.enable("once", "alice").nextRunAt());
        Instant later = at.plusSeconds(150);
        a.scheduler.update(a.scheduler.entry("once").orElseThrow().task().toBuilder()
                .schedule(Schedule.clocked(later)).build(), "alice");
        cluster.stepTo(later);
        assertEquals(List.of(Scheduler.runId("once", at), Scheduler.runId("once", later)), cluster.runsOf("once"));
    }

    @Test
    void clockedEntryInThePastFollowsTheMissedRunPolicy() {
        Cluster.Instance a = leaderWithCanary();
        Instant past = cluster.clock.instant().minus(Duration.ofHours(2));
        a.scheduler.add(PeriodicTask.builder("late", "tick", Schedule.clocked(past)).build(), "alice");
        a.scheduler.add(PeriodicTask.builder("dropped", "tick", Schedule.clocked(past))
                .missedRuns(MissedRunPolicy.skip()).build(), "alice");
        cluster.awaitAccepted(Scheduler.runId("late", past));
        Await.until(Cluster.WAIT, "both disabled", () -> a.scheduler.entries().stream()
                .filter(e -> !e.name().equals("canary")).noneMatch(e -> e.task().enabled()));
        assertEquals(List.of(), cluster.runsOf("dropped"));
    }

    @Test
    void oneOffEntryRunsOnce() {
        Cluster.Instance a = leaderWithCanary();
        a.scheduler.add(PeriodicTask.builder("o", "tick", Schedule.every(MINUTE)).oneOff(true).build(), "a");
        Instant t1 = nextMinute(cluster.clock.instant());
        cluster.stepTo(t1);
        cluster.stepTo(t1.plus(MINUTE));
        assertEquals(List.of(Scheduler.runId("o", t1)), cluster.runsOf("o"));
        assertFalse(a.scheduler.entry("o").orElseThrow().task().enabled());
    }

    @Test
    void nothingRunsBeforeTheStartTime() {
        Cluster.Instance a = leaderWithCanary();
        Instant t1 = nextMinute(cluster.clock.instant());
        Instant start = t1.plus(Duration.ofMinutes(2)).plusSeconds(10);
        PeriodicTaskInfo info = a.scheduler.add(PeriodicTask.builder("st", "tick", Schedule.every(MINUTE))
                .startTime(start).build(), "a");
        assertEquals(t1.plus(Duration.ofMinutes(3)), info.nextRunAt());
        for (int k = 0; k <= 3; k++) {
            cluster.stepTo(t1.plus(MINUTE.multipliedBy(k)));
        }
        assertEquals(List.of(Scheduler.runId("st", t1.plus(Duration.ofMinutes(3)))), cluster.runsOf("st"));
    }

    @Test
    void runsCarryQueuePriorityArgumentsHeadersAndExpiry() {
        Cluster.Instance a = leaderWithCanary();
        a.scheduler.add(PeriodicTask.builder("opts", "echo", Schedule.every(MINUTE)).args("ab", 3)
                .queue("other").priority(8).expires(Duration.ofSeconds(30)).build(), "a");
        Instant t1 = nextMinute(cluster.clock.instant());
        cluster.stepTo(t1);
        String id = Scheduler.runId("opts", t1);
        assertEquals(1, a.taskq.stats("other").ready());
        // The worker arrives after the run's 30 s expiry: it is revoked, not run.
        cluster.clock.advance(Duration.ofSeconds(45));
        a.taskq.startWorker(io.taskq.WorkerOptions.builder().queues("other")
                .claimWait(Duration.ofMillis(50)).build());
        TaskHandle<Object> h = a.taskq.handle("other", id);
        Await.until(Cluster.WAIT, "expired", () -> h.state() == TaskState.REVOKED);
        assertTrue(h.info().reason().contains("expired"), h.info().reason());

        a.scheduler.update(a.scheduler.entry("opts").orElseThrow().task().toBuilder().expires(null).build(), "a");
        TaskHandle<Object> manual = a.scheduler.runNow("opts", "a");
        assertEquals("other", manual.queue());
        assertEquals("ababab", manual.get(Cluster.WAIT));
    }
}
