package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskState;
import io.taskq.contract.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener hears leadership changes, published, missed and skipped runs, and run-now; a broken one is harmless. */
class SchedulerListenerTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Cluster cluster = new Cluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Records every event as a line. */
    static final class Recorder implements SchedulerListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void leadershipChanged(String instanceId, boolean leader) {
            events.add("leader " + instanceId + " " + leader);
        }

        @Override
        public void runPublished(String entry, String runId, Instant dueAt, Instant publishedAt) {
            events.add("published " + runId + " lag " + Duration.between(dueAt, publishedAt).toSeconds() + "s");
        }

        @Override
        public void runsMissed(String entry, Instant from, Instant until, MissedRunPolicy policy) {
            events.add("missed " + entry + " from " + from + " until " + until + " " + policy.kind());
        }

        @Override
        public void runSkipped(String entry, Instant dueAt, String runningRunId) {
            events.add("skipped " + Scheduler.runId(entry, dueAt) + " behind " + runningRunId);
        }

        boolean has(String line) {
            return events.contains(line);
        }
    }

    @Test
    void leadershipPublishedAndMissedRunsAreReported() {
        Recorder ra = new Recorder();
        Cluster.Instance a = cluster.instance("a", b -> b.listener(ra)).start();
        cluster.awaitLeader(a);
        Await.until(Cluster.WAIT, "leadership reported", () -> ra.has("leader a true"));
        Instant t0 = a.scheduler.add(PeriodicTask.builder("m", "tick", Schedule.every(MINUTE))
                .missedRuns(MissedRunPolicy.skip()).build(), "test").nextRunAt();
        cluster.advanceTo(t0);
        cluster.awaitAccepted(Scheduler.runId("m", t0));
        cluster.awaitCaughtUp();
        Await.until(Cluster.WAIT, "run reported", () -> ra.has("published " + Scheduler.runId("m", t0) + " lag 0s"));
        a.close();

        // Down for 10.5 minutes: +1..+9 are missed (past the 1-minute grace) and dropped, +10 is late.
        cluster.clock.advance(Duration.ofMinutes(10).plusSeconds(30));
        Instant restart = cluster.clock.instant();
        Recorder rb = new Recorder();
        Cluster.Instance b = cluster.instance("b", x -> x.listener(rb)).start();
        cluster.awaitLeader(b);
        cluster.awaitCaughtUp();
        Await.until(Cluster.WAIT, "missed runs reported", () -> rb.events.stream().anyMatch(e -> e.startsWith(
                "missed m from " + t0.plus(MINUTE) + " until ") && e.endsWith(" SKIP")
                && !Instant.parse(e.split(" ")[5]).isBefore(restart)));
        Await.until(Cluster.WAIT, "the late run reported with its lag", () -> rb.has("published "
                + Scheduler.runId("m", t0.plus(MINUTE.multipliedBy(10))) + " lag 30s"));
        assertTrue(rb.has("leader b true"));
        assertEquals(1, rb.events.stream().filter(e -> e.startsWith("published m")
                || e.startsWith("published sched:m")).count(), "one run published after the restart: " + rb.events);
    }

    @Test
    void aSkippedRunAndARunNowAreReported() {
        Recorder r = new Recorder();
        Cluster.Instance a = cluster.instance("a", b -> b.overlapLookback(Duration.ofSeconds(90)).listener(r))
                .start();
        cluster.awaitLeader(a);
        a.scheduler.add(Cluster.canary(), "setup");
        cluster.tasks.slowGate = new CountDownLatch(1);
        cluster.startWorker(a);
        a.scheduler.add(PeriodicTask.builder("s", "slow", Schedule.every(MINUTE))
                .overlap(OverlapPolicy.SKIP_IF_RUNNING).build(), "test");
        Instant t1 = cluster.clock.instant().atOffset(ZoneOffset.UTC).withSecond(0).withNano(0).plusMinutes(1)
                .toInstant();
        cluster.stepTo(t1);
        TaskHandle<Object> first = a.taskq.handle("default", Scheduler.runId("s", t1));
        Await.until(Cluster.WAIT, "first run started", () -> first.state() == TaskState.STARTED);
        cluster.stepTo(t1.plus(MINUTE));
        Await.until(Cluster.WAIT, "skip reported", () -> r.has("skipped " + Scheduler.runId("s", t1.plus(MINUTE))
                + " behind " + Scheduler.runId("s", t1)));
        cluster.tasks.slowGate.countDown();

        TaskHandle<Object> manual = a.scheduler.runNow("canary", "ops");
        assertTrue(r.has("published " + manual.id() + " lag 0s"), r.events.toString());
    }

    @Test
    void aListenerThatThrowsDoesNotDisturbTheScheduler() {
        SchedulerListener broken = new SchedulerListener() {
            @Override
            public void leadershipChanged(String instanceId, boolean leader) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void runPublished(String entry, String runId, Instant dueAt, Instant publishedAt) {
                throw new IllegalStateException("broken listener");
            }
        };
        Recorder after = new Recorder();
        Cluster.Instance a = cluster.instance("a", b -> b.listener(broken).listener(after)).start();
        cluster.awaitLeader(a);
        Instant t0 = a.scheduler.add(PeriodicTask.builder("m", "tick", Schedule.every(MINUTE)).build(), "test")
                .nextRunAt();
        for (int k = 0; k < 3; k++) {
            cluster.advanceTo(t0.plus(MINUTE.multipliedBy(k)));
            cluster.awaitAccepted(Scheduler.runId("m", t0.plus(MINUTE.multipliedBy(k))));
        }
        cluster.awaitCaughtUp();
        assertEquals(3, a.scheduler.entry("m").orElseThrow().totalRunCount());
        Await.until(Cluster.WAIT, "the next listener still hears every run", () -> after.events.stream()
                .filter(e -> e.startsWith("published sched:m:")).count() == 3);
    }
}
