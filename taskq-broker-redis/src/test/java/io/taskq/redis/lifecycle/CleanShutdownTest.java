package io.taskq.redis.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.fault.FaultTasks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a worker's life logs on Redis: nothing at WARN or above when nothing went wrong. */
class CleanShutdownTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void aCleanStartSubmitCloseCycleLogsNoWarning() {
        try (LogCapture logs = new LogCapture()) {
            try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
                 Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
                taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
                for (int i = 0; i < 5; i++) {
                    assertEquals("n" + i, taskq.submit(FaultTasks::echo, "n" + i).get(Duration.ofSeconds(10)));
                }
            }
            assertEquals(List.of(), logs.atLeast(Level.WARN));
        }
    }

    @Test
    void anIdleWorkerWithSchedulerAndStoreClosesWithoutWarning() throws InterruptedException {
        try (LogCapture logs = new LogCapture()) {
            RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
            io.taskq.redis.RedisScheduleStore store = io.taskq.redis.RedisScheduleStore.builder().from(broker).build();
            Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
            io.taskq.scheduler.Scheduler scheduler = io.taskq.scheduler.Scheduler.builder().taskq(taskq).store(store)
                    .build().start();
            taskq.startWorker(WorkerOptions.builder().concurrency(8).build());
            assertEquals("x", taskq.submit(FaultTasks::echo, "x").get(Duration.ofSeconds(10)));
            Thread.sleep(2500); // idle: the fetch loop sits in its marker wait, the watchdogs run
            scheduler.close();
            taskq.close();
            store.close();
            broker.close();
            assertEquals(List.of(), logs.atLeast(Level.WARN));
        }
    }

    @Test
    void closingWithTasksRunningPastTheGraceSaysHowManyWentBack() {
        try (LogCapture logs = new LogCapture();
             RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            io.taskq.Worker worker = taskq.startWorker(WorkerOptions.builder().concurrency(3).prefetch(0)
                    .shutdownGrace(Duration.ofMillis(200)).build());
            for (int i = 0; i < 3; i++) {
                taskq.submit(FaultTasks::hangFirst, "h" + i);
            }
            io.taskq.contract.Await.until(Duration.ofSeconds(10), "3 tasks running",
                    () -> taskq.stats("default").inFlight() == 3);
            worker.close();
            List<String> summary = logs.messages(Level.INFO).stream().filter(m -> m.contains("handed")).toList();
            assertEquals(1, summary.size(), "one summary line: " + logs.atLeast(Level.INFO));
            org.junit.jupiter.api.Assertions.assertTrue(summary.get(0).contains("stopped; handed 3 unfinished task(s)"
                    + " back to the broker"), summary.get(0));
            assertEquals(3, taskq.stats("default").ready(), "all three back in the queue");
        }
    }
}
