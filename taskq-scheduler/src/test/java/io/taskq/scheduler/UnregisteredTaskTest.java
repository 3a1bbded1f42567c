package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskq.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An entry naming a task this application does not register is refused, when declared and when added or updated at
 * run time, unless the scheduler is built for a producer-only instance ({@code allowUnregisteredTasks(true)}).
 */
class UnregisteredTaskTest {
    private static final Schedule HOURLY = Schedule.every(Duration.ofHours(1));
    private static final String HINT = "Register it with Taskq.builder().tasks(...), or, if other applications' "
            + "workers run it, build the scheduler with Scheduler.builder().allowUnregisteredTasks(true)";

    private final Cluster cluster = new Cluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Declares a schedule for a task that lives elsewhere: the taskq under test does not register this class. */
    static class Elsewhere {
        @Task(name = "billing.invoice")
        @Periodic(name = "invoices", every = "1h")
        public void invoice() {
        }
    }

    private static String expected(String entry, String task) {
        return "periodic task '" + entry + "' names task '" + task + "', which this application does not register "
                + "(registered: echo, slow, tick). " + HINT;
    }

    @Test
    void aDeclarationOfAnUnregisteredTaskIsRefusedAtBuild() {
        PeriodicTask typo = PeriodicTask.builder("nightly", "tikc", HOURLY).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cluster.instance("a", b -> b.declare(typo)));
        assertEquals(expected("nightly", "tikc"), e.getMessage());

        IllegalStateException annotated = assertThrows(IllegalStateException.class,
                () -> cluster.instance("b", b -> b.declare(new Elsewhere())));
        assertEquals(expected("invoices", "billing.invoice"), annotated.getMessage());
    }

    @Test
    void addingOrUpdatingToAnUnregisteredTaskIsRefusedAndChangesNothing() {
        Cluster.Instance a = cluster.instance("a");
        IllegalArgumentException add = assertThrows(IllegalArgumentException.class,
                () -> a.scheduler.add(PeriodicTask.builder("r", "reports.run", HOURLY).build(), "alice"));
        assertEquals(expected("r", "reports.run"), add.getMessage());
        assertEquals(List.of(), a.scheduler.entries());
        assertEquals(List.of(), a.scheduler.audit(10));

        PeriodicTask tick = PeriodicTask.builder("r", "tick", HOURLY).build();
        a.scheduler.add(tick, "alice");
        IllegalArgumentException update = assertThrows(IllegalArgumentException.class,
                () -> a.scheduler.update(tick.toBuilder().task("tikc").build(), "bob"));
        assertEquals(expected("r", "tikc"), update.getMessage());
        assertEquals(tick, a.scheduler.entry("r").orElseThrow().task());
        assertEquals(1, a.scheduler.audit(10).size());
    }

    @Test
    void aProducerOnlySchedulerPublishesTasksOtherApplicationsRun() {
        Cluster.Instance a = cluster.instance("a", b -> b.allowUnregisteredTasks(true)
                .declare(new Elsewhere())).start();
        cluster.awaitLeader(a);
        PeriodicTask remote = PeriodicTask.builder("remote", "billing.refund", HOURLY).build();
        a.scheduler.add(remote, "alice");
        a.scheduler.update(remote.toBuilder().task("billing.refunds").build(), "alice");
        Instant due = a.scheduler.entry("remote").orElseThrow().nextRunAt();
        cluster.advanceTo(due);
        cluster.awaitAccepted(Scheduler.runId("remote", due));
        cluster.awaitAccepted(Scheduler.runId("invoices", due));
        assertEquals("billing.refunds", a.scheduler.entry("remote").orElseThrow().task().task());
        assertEquals("billing.invoice", a.scheduler.entry("invoices").orElseThrow().task().task());
    }
}
