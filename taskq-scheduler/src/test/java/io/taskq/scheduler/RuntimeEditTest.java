package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.scheduler.contract.ForwardingScheduleStore;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Edits made through one instance are applied by the leader without a restart, and audited. */
class RuntimeEditTest {
    private final Cluster cluster = new Cluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private static PeriodicTask canary() {
        return Cluster.canary();
    }

    private void stepTo(Instant t) {
        cluster.stepTo(t);
    }

    private static Instant nextMinute(Instant now) {
        return now.atOffset(ZoneOffset.UTC).withSecond(0).withNano(0).plusMinutes(1).toInstant();
    }

    @Test
    void editsThroughAFollowerReachTheLeader() {
        Cluster.Instance a = cluster.instance("a").start();
        cluster.awaitLeader(a);
        Cluster.Instance b = cluster.instance("b").start();
        Cluster.Instance c = cluster.instance("c").start();
        cluster.startWorker(a);
        b.scheduler.add(canary(), "setup");

        // add
        PeriodicTask report = PeriodicTask.builder("report", "echo", Schedule.cron("* * * * *"))
                .args("x", 2).description("every minute").build();
        PeriodicTaskInfo added = b.scheduler.add(report, "alice");
        assertEquals(report, added.task());
        assertEquals(0, added.totalRunCount());
        assertEquals(report, c.scheduler.entry("report").orElseThrow().task(), "visible to every instance");
        Instant t1 = added.nextRunAt();
        assertEquals(nextMinute(cluster.clock.instant()), t1);
        stepTo(t1);
        assertEquals(1, cluster.accepted(Scheduler.runId("report", t1)));

        // change the cron: the leader uses the new schedule at once
        b.scheduler.update(report.toBuilder().schedule(Schedule.cron("*/5 * * * *")).build(), "bob");
        Instant fifth = c.scheduler.entry("report").orElseThrow().nextRunAt();
        assertEquals(0, fifth.atOffset(ZoneOffset.UTC).getMinute() % 5);
        for (Instant t = t1.plusSeconds(60); !t.isAfter(fifth); t = t.plusSeconds(60)) {
            stepTo(t);
        }
        assertEquals(List.of(Scheduler.runId("report", t1), Scheduler.runId("report", fifth)),
                cluster.runsOf("report"));
        assertEquals(2, a.scheduler.entry("report").orElseThrow().totalRunCount());

        // disable: nothing at the next five-minute mark
        b.scheduler.disable("report", "carol");
        assertNull(c.scheduler.entry("report").orElseThrow().nextRunAt());
        Instant tenth = fifth.plusSeconds(300);
        for (Instant t = fifth.plusSeconds(60); !t.isAfter(tenth); t = t.plusSeconds(60)) {
            stepTo(t);
        }
        assertEquals(2, cluster.runsOf("report").size());

        // enable: no catch-up for the disabled time (celery #370)
        PeriodicTaskInfo enabled = b.scheduler.enable("report", "carol");
        assertTrue(enabled.nextRunAt().isAfter(cluster.clock.instant()));
        stepTo(enabled.nextRunAt());
        assertEquals(3, cluster.runsOf("report").size());
        assertEquals(1, cluster.accepted(Scheduler.runId("report", enabled.nextRunAt())));

        // run now, from a follower
        TaskHandle<Object> manual = c.scheduler.runNow("report", "dave");
        assertTrue(manual.id().startsWith("sched:report:manual:"), manual.id());
        assertEquals("xx", manual.get(Cluster.WAIT));
        PeriodicTaskInfo afterManual = a.scheduler.entry("report").orElseThrow();
        assertEquals(4, afterManual.totalRunCount());
        assertEquals(manual.id(), afterManual.lastRunId());
        assertEquals(enabled.nextRunAt().plusSeconds(300), afterManual.nextRunAt(), "run now leaves the schedule");

        // delete
        assertTrue(b.scheduler.delete("report", "erin"));
        assertTrue(a.scheduler.entry("report").isEmpty());
        Instant afterDelete = afterManual.nextRunAt();
        for (Instant t = enabled.nextRunAt().plusSeconds(60); !t.isAfter(afterDelete); t = t.plusSeconds(60)) {
            stepTo(t);
        }
        assertEquals(4, cluster.runsOf("report").size(), "3 scheduled + 1 manual, none after the delete");
        assertEquals(List.of("canary"), c.scheduler.entries().stream().map(PeriodicTaskInfo::name)
                .collect(Collectors.toList()));

        // the audit trail, newest first, from any instance
        List<AuditRecord> audit = a.scheduler.audit(100).stream()
                .filter(r -> r.entry().equals("report")).collect(Collectors.toList());
        assertEquals(List.of("delete", "run-now", "enable", "disable", "update", "add"),
                audit.stream().map(AuditRecord::action).collect(Collectors.toList()));
        assertEquals(List.of("erin", "dave", "carol", "carol", "bob", "alice"),
                audit.stream().map(AuditRecord::actor).collect(Collectors.toList()));
        AuditRecord update = audit.get(4);
        assertEquals(Schedule.cron("* * * * *"), update.beforeTask().orElseThrow().schedule());
        assertEquals(Schedule.cron("*/5 * * * *"), update.afterTask().orElseThrow().schedule());
        assertTrue(update.at().isAfter(t1));
        AuditRecord add = audit.get(5);
        assertNull(add.before());
        assertEquals(report, add.afterTask().orElseThrow());
        AuditRecord delete = audit.get(0);
        assertTrue(delete.beforeTask().isPresent());
        assertNull(delete.after());
        assertEquals(manual.id(), audit.get(1).detail());
        assertFalse(audit.get(3).afterTask().orElseThrow().enabled());
        assertTrue(audit.get(2).afterTask().orElseThrow().enabled());
        assertEquals(3, a.scheduler.audit(3).size());
    }

    @Test
    void changesAreSeenWithoutNotificationsToo() {
        // The leader's store never notifies (a lost pub/sub message): the change count, read on every wake-up,
        // still brings the edit in within the bounded sleep.
        Cluster.Instance a = cluster.instance("a", b -> b.store(new SilentStore(cluster.store))).start();
        cluster.awaitLeader(a);
        Cluster.Instance b = cluster.instance("b").start();
        b.scheduler.add(canary(), "setup");
        PeriodicTaskInfo info = b.scheduler.add(
                PeriodicTask.builder("r", "tick", Schedule.every(Duration.ofMinutes(1))).build(), "alice");
        stepTo(info.nextRunAt());
        assertEquals(1, cluster.accepted(Scheduler.runId("r", info.nextRunAt())));
    }

    @Test
    void misuseIsReported() {
        Cluster.Instance a = cluster.instance("a");
        PeriodicTask t = PeriodicTask.builder("x", "tick", Schedule.every(Duration.ofMinutes(1))).build();
        a.scheduler.add(t, "alice");
        assertThrows(IllegalStateException.class, () -> a.scheduler.add(t, "bob"));
        assertThrows(NoSuchElementException.class, () -> a.scheduler.update(
                PeriodicTask.builder("y", "tick", Schedule.every(Duration.ofMinutes(1))).build(), "bob"));
        assertThrows(NoSuchElementException.class, () -> a.scheduler.enable("y", "bob"));
        assertThrows(NoSuchElementException.class, () -> a.scheduler.runNow("y", "bob"));
        assertThrows(NullPointerException.class, () -> a.scheduler.disable("x", null));
        assertFalse(a.scheduler.delete("y", "bob"));
        // No-op edits change nothing and leave no record.
        a.scheduler.update(t, "bob");
        a.scheduler.enable("x", "bob");
        assertEquals(1, a.scheduler.audit(100).size());
    }

    @Test
    void unreadableEntriesAreSkippedNotFatal() {
        Cluster.Instance a = cluster.instance("a").start();
        cluster.awaitLeader(a);
        a.scheduler.add(canary(), "setup");
        cluster.store.write("broken", "{\"definition\":{\"name\":\"broken\"}}", ScheduleStore.ABSENT,
                new ScheduleAuditRecord(cluster.clock.instant(), "broken", "add", "hand", null, null, null));
        assertEquals(List.of("canary"), a.scheduler.entries().stream().map(PeriodicTaskInfo::name)
                .collect(Collectors.toList()));
        stepTo(a.scheduler.entry("canary").orElseThrow().nextRunAt());
        assertThrows(IllegalStateException.class, () -> a.scheduler.disable("broken", "x"));
        assertTrue(a.scheduler.delete("broken", "x"), "a broken entry can be deleted");
    }

    /** A store view whose subscriptions never fire. */
    private static final class SilentStore extends ForwardingScheduleStore {
        SilentStore(ScheduleStore delegate) {
            super(delegate);
        }

        @Override
        public Subscription subscribe(Runnable listener) {
            return () -> { };
        }

        @Override
        public void close() {
        }
    }
}
