package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.fault.FaultTasks;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waiting for results: a wait reads the record once unless the broker submitted the task while already listening
 * to the notification channel (then the notification is enough, whether it comes before or after the wait
 * starts). Counted by the record reads that reach Redis ({@code ZSCORE}, which no worker script calls).
 */
class ResultWaitTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static long recordReads() {
        long[] calls = new long[1];
        server.with(r -> {
            for (String line : r.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_zscore:calls=")) {
                    calls[0] = Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
                }
            }
        });
        return calls[0];
    }

    private static RedisBroker broker(String prefix) {
        return RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
    }

    private static void awaitFinal(RedisBroker other, TaskHandle<?> h) {
        Await.until(Duration.ofSeconds(10), "task finished", () -> other.get(h.queue(), h.id())
                .map(r -> r.state().isFinal()).orElse(false));
    }

    @Test
    void aWaitForATaskSubmittedWhileListeningReadsNothing() {
        String p = "rw" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBroker broker = broker(p); Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            // The first wait opens the subscription (and reads: nothing was heard before it).
            assertEquals("first", taskq.submit(FaultTasks::echo, "first").get(Duration.ofSeconds(10)));
            long before = recordReads();
            for (int i = 0; i < 20; i++) {
                assertEquals("n" + i, taskq.submit(FaultTasks::echo, "n" + i).get(Duration.ofSeconds(10)));
            }
            assertEquals(0, recordReads() - before, "no record read for tasks submitted while listening");
        }
    }

    @Test
    void aNotificationThatComesBeforeTheWaitIsKeptForIt() {
        String p = "rw" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBroker broker = broker(p); RedisBroker other = broker(p);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            assertEquals("first", taskq.submit(FaultTasks::echo, "first").get(Duration.ofSeconds(10)));
            TaskHandle<String> h = taskq.submit(FaultTasks::echo, "early");
            awaitFinal(other, h);
            long before = recordReads();
            assertEquals("early", h.get(Duration.ofSeconds(10)));
            assertEquals(0, recordReads() - before, "the notification was kept, no read");
        }
    }

    @Test
    void aTaskSubmittedBeforeListeningIsReadWhenAwaited() {
        String p = "rw" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBroker broker = broker(p); RedisBroker other = broker(p);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            TaskHandle<String> h = taskq.submit(FaultTasks::echo, "unheard"); // nobody listens yet
            awaitFinal(other, h);
            long before = recordReads();
            assertEquals("unheard", h.get(Duration.ofSeconds(10)));
            assertEquals(1, recordReads() - before, "read once: its notification went unheard");
        }
    }

    @Test
    void aTaskSubmittedBeforeTheSubscriptionDroppedIsStillAnswered() {
        String p = "rw" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBroker broker = broker(p); RedisBroker other = broker(p);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
             Taskq workerSide = Taskq.builder().broker(other).tasks(new FaultTasks()).build()) {
            // Listening (opened by a wait), then a submit, then the subscription drops while the task runs
            // elsewhere: its notification may be lost, so the wait must not rely on it.
            workerSide.startWorker(WorkerOptions.builder().concurrency(2).build());
            assertEquals("o", taskq.submit(FaultTasks::echo, "o").get(Duration.ofSeconds(10)));
            TaskHandle<String> h = taskq.submit(FaultTasks::echo, "dropped");
            server.with(r -> r.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()));
            awaitFinal(other, h);
            assertEquals("dropped", h.get(Duration.ofSeconds(10)));
        }
    }
}
