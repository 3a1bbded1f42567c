package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Task;
import io.taskq.contract.Await;
import io.taskq.scheduler.internal.Declarations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Entries declared in code are upserted on every start: no duplicates, run state kept, run-time edits respected. */
class DeclarationTest {
    private final Cluster cluster = new Cluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Tasks declaring their schedules. */
    static class Reports {
        @Task(name = "reports.daily")
        @Periodic(cron = "0 7 * * MON-FRI", zone = "Europe/London", args = "[\"sales\", 7]", queue = "reports",
                priority = 7, expires = "1h", description = "weekday mornings",
                overlap = OverlapPolicy.SKIP_IF_RUNNING)
        public void daily(String team, int hour) {
        }

        @Task(name = "tick")
        @Periodic(every = "1m")
        public void tick() {
        }

        @Task(name = "reports.sunset")
        @Periodic(name = "sunset-a", solar = "sunset", latitude = 51.5, longitude = -0.12)
        @Periodic(name = "sunset-b", solar = "sunrise", latitude = 51.5, longitude = -0.12,
                missedRuns = MissedRunPolicy.Kind.RUN_ALL, missedRunCap = 3)
        public void sun() {
        }
    }

    @Test
    void annotationsBecomeEntries() {
        List<PeriodicTask> found = Declarations.scan(new Reports());
        assertEquals(List.of("reports.daily", "sunset-a", "sunset-b", "tick"),
                found.stream().map(PeriodicTask::name).sorted().collect(Collectors.toList()));
        PeriodicTask daily = found.stream().filter(p -> p.name().equals("reports.daily")).findFirst().orElseThrow();
        assertEquals(PeriodicTask.builder("reports.daily", "reports.daily",
                        Schedule.cron("0 7 * * MON-FRI", ZoneId.of("Europe/London")))
                .args("sales", 7).queue("reports").priority(7).expires(Duration.ofHours(1))
                .description("weekday mornings").overlap(OverlapPolicy.SKIP_IF_RUNNING).build(), daily);
        PeriodicTask b = found.stream().filter(p -> p.name().equals("sunset-b")).findFirst().orElseThrow();
        assertEquals(MissedRunPolicy.runAll(3), b.missedRuns());
        assertEquals("reports.sunset", b.task());
        assertEquals(Schedule.every(Duration.ofMinutes(1)),
                found.stream().filter(p -> p.name().equals("tick")).findFirst().orElseThrow().schedule());
        assertEquals(found, Declarations.scan(Reports.class), "a class works as well as an instance");
    }

    static class NoTask {
        @Periodic(every = "1m")
        public void x() {
        }
    }

    static class TwoKinds {
        @Task(name = "t")
        @Periodic(every = "1m", cron = "* * * * *")
        public void x() {
        }
    }

    static class Unnamed {
        @Task(name = "t")
        @Periodic(every = "1m")
        @Periodic(every = "2m")
        public void x() {
        }
    }

    static class BadCron {
        @Task(name = "t")
        @Periodic(cron = "61 * * * *")
        public void x() {
        }
    }

    @Test
    void badDeclarationsAreRejectedWithTheirPlace() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Declarations.scan(new NoTask()))
                .getMessage().contains("needs @Task"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Declarations.scan(new TwoKinds()))
                .getMessage().contains("exactly one of cron, every and solar"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Declarations.scan(new Unnamed()))
                .getMessage().contains("give each one a name"));
        String bad = assertThrows(IllegalArgumentException.class, () -> Declarations.scan(new BadCron())).getMessage();
        assertTrue(bad.startsWith("@Periodic on " + BadCron.class.getName() + ".x"), bad);
        PeriodicTask p = PeriodicTask.builder("same", "tick", Schedule.every(Duration.ofMinutes(1))).build();
        assertThrows(IllegalStateException.class, () -> Scheduler.builder().taskq(cluster.instance("x").taskq)
                .declare(p, p).build());
    }

    @Test
    void restartUpsertsWithoutDuplicatesAndKeepsRunState() {
        Cluster.Instance first = cluster.instance("first", new Reports(), b -> b.declare(new Reports())).start();
        cluster.awaitLeader(first);
        assertEquals(4, first.scheduler.entries().size());
        assertEquals(4, first.scheduler.audit(100).size());
        assertTrue(first.scheduler.audit(100).stream().allMatch(r -> r.action().equals("declare")
                && r.actor().equals("code")));
        Instant t1 = first.scheduler.entry("tick").orElseThrow().nextRunAt();
        cluster.advanceTo(t1);
        cluster.awaitAccepted(Scheduler.runId("tick", t1));
        Await.until(Cluster.WAIT, "run counted", () -> first.scheduler.entry("tick").orElseThrow().totalRunCount() == 1);
        first.close();

        // Same code: nothing changes, nothing is audited, the run count stays.
        Cluster.Instance second = cluster.instance("second", new Reports(), b -> b.declare(new Reports())).start();
        assertEquals(4, second.scheduler.entries().size());
        assertEquals(4, second.scheduler.audit(100).size());
        assertEquals(1, second.scheduler.entry("tick").orElseThrow().totalRunCount());
        assertEquals(Scheduler.runId("tick", t1), second.scheduler.entry("tick").orElseThrow().lastRunId());

        // A run-time edit of a declared entry survives a restart with the same code...
        second.scheduler.disable("reports.daily", "ops");
        second.close();
        Cluster.Instance third = cluster.instance("third", new Reports(), b -> b.declare(new Reports())).start();
        assertFalse(third.scheduler.entry("reports.daily").orElseThrow().task().enabled());
        third.close();

        // ...until the declaration itself changes: then the code wins, and the run state is still kept.
        PeriodicTask changedTick = PeriodicTask.builder("tick", "tick", Schedule.every(Duration.ofMinutes(5)))
                .description("now every five minutes").build();
        Cluster.Instance fourth = cluster.instance("fourth", new Reports(), b -> b.declare(changedTick)).start();
        PeriodicTaskInfo tick = fourth.scheduler.entry("tick").orElseThrow();
        assertEquals(changedTick, tick.task());
        assertEquals(1, tick.totalRunCount());
        assertEquals(0, tick.nextRunAt().atOffset(ZoneOffset.UTC).getMinute() % 5);
        assertEquals(4, fourth.scheduler.entries().size(), "entries no longer declared are left alone");
        AuditRecord declare = fourth.scheduler.audit(1).get(0);
        assertEquals("declare", declare.action());
        assertEquals(Schedule.every(Duration.ofMinutes(1)), declare.beforeTask().orElseThrow().schedule());
        assertEquals(Schedule.every(Duration.ofMinutes(5)), declare.afterTask().orElseThrow().schedule());
    }

    @Test
    void instancesStartingTogetherCreateEachEntryOnce() throws Exception {
        int n = 6;
        List<Cluster.Instance> instances = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            instances.add(cluster.instance("i" + i, new Reports(), b -> b.declare(new Reports())));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Cluster.Instance i : instances) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return i.start();
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, cluster.store.entries().size());
        assertEquals(4, cluster.store.audit(100).size());
        cluster.awaitLeader(instances.toArray(Cluster.Instance[]::new));
    }
}
