package io.taskq.examples;

import io.taskq.Task;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.Periodic;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Periodic tasks: entries declared in code next to the task ({@link Periodic}) and with a builder, a scheduler
 * running as a bean of the application, and an entry edited at run time (interval changed, then disabled), with
 * the audit trail. Every instance of an application may run the scheduler: one leader publishes each run once.
 */
public final class PeriodicTasksExample {
    private PeriodicTasksExample() {
    }

    /** Tasks with their schedules. */
    public static class Housekeeping {
        final Queue<String> log = new ConcurrentLinkedQueue<>();

        /** Declared in code: every 300 ms. */
        @Task(name = "housekeeping.heartbeat")
        @Periodic(name = "heartbeat", every = "300ms", description = "liveness ping")
        public void heartbeat() {
            log.add("heartbeat at " + Instant.now());
        }

        /** Scheduled by the builder below: weekday mornings in London. */
        @Task(name = "housekeeping.report")
        public String report(String team) {
            log.add("report for " + team);
            return "report for " + team;
        }
    }

    /** Runs the example. */
    public static void main(String[] args) throws InterruptedException {
        Housekeeping tasks = new Housekeeping();
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(tasks).build();
             Scheduler scheduler = Scheduler.builder()
                     .taskq(taskq)
                     .declare(tasks)
                     .declare(PeriodicTask.builder("weekday-report", "housekeeping.report",
                                     Schedule.cron("0 7 * * MON-FRI", ZoneId.of("Europe/London")))
                             .args("sales")
                             .expires(Duration.ofHours(1))
                             .build())
                     .build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            scheduler.start();

            awaitRuns(scheduler, "heartbeat", 3);
            for (PeriodicTaskInfo e : scheduler.entries()) {
                System.out.println(e.task().name() + " next run " + e.nextRun().orElse(null) + ", runs "
                        + e.totalRunCount());
            }

            // Edit at run time: every instance applies the change within seconds, without a restart.
            PeriodicTask heartbeat = scheduler.entry("heartbeat").orElseThrow().task();
            scheduler.update(heartbeat.toBuilder().schedule(Schedule.every(Duration.ofMillis(100))).build(),
                    "ops@example.com");
            long before = scheduler.entry("heartbeat").orElseThrow().totalRunCount();
            awaitRuns(scheduler, "heartbeat", before + 3);
            scheduler.runNow("weekday-report", "ops@example.com");
            scheduler.disable("heartbeat", "ops@example.com");

            for (AuditRecord a : scheduler.audit(10)) {
                System.out.println("audit: " + a.action() + " " + a.entry() + " by " + a.actor());
            }
            System.out.println("heartbeat ran " + scheduler.entry("heartbeat").orElseThrow().totalRunCount() + " times");
        }
    }

    private static void awaitRuns(Scheduler scheduler, String entry, long runs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (scheduler.entry(entry).orElseThrow().totalRunCount() < runs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(entry + " did not reach " + runs + " runs");
            }
            Thread.sleep(20);
        }
    }
}
