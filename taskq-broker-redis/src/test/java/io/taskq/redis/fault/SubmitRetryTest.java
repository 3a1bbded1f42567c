package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A submit whose reply is lost after the command reached Redis: the submit retries with the same id, reports
 * success, and the task exists (and runs) once.
 */
class SubmitRetryTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void aSubmitWhoseReplyIsLostIsRetriedWithTheSameIdAndLandsOnce() throws Exception {
        URI u = URI.create(server.url());
        String prefix = "sr" + UUID.randomUUID().toString().substring(0, 8);
        try (FlakyProxy proxy = new FlakyProxy(u.getHost(), u.getPort());
             RedisBroker viaProxy = RedisBroker.builder().uri(proxy.url()).keyPrefix(prefix)
                     .commandTimeout(Duration.ofMillis(500)).build();
             RedisBroker direct = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq producer = Taskq.builder().broker(viaProxy).tasks(new FaultTasks()).build();
             Taskq worker = Taskq.builder().broker(direct).tasks(new FaultTasks()).build()) {
            String key = "once-" + UUID.randomUUID();
            // A first submit lists the queue in the registry (once per broker), so that the enqueue script is
            // the first command of the next submit.
            producer.submit(FaultTasks::count, "warm-up-" + key);
            proxy.swallowReplies(true);
            CompletableFuture<TaskHandle<Integer>> submit =
                    CompletableFuture.supplyAsync(() -> producer.submit(FaultTasks::count, key));
            // The command reached Redis and the task is there; its reply is lost.
            Await.until(Duration.ofSeconds(10), "the task landed", () -> direct.stats("default").ready() == 2);
            Await.until(Duration.ofSeconds(10), "its reply was lost", () -> proxy.swallowedBytes() > 0);
            int firstReply = proxy.swallowedBytes();
            // After the command timeout the submit sends again, and that reply is lost too.
            Await.until(Duration.ofSeconds(10), "a retry's reply was lost too",
                    () -> proxy.swallowedBytes() > firstReply);
            proxy.swallowReplies(false);
            proxy.reset();
            TaskHandle<Integer> h = submit.get(20, TimeUnit.SECONDS);
            assertTrue(h.created(), "the retried submit reports the task it landed");
            assertEquals(2, direct.stats("default").ready(), "one task for the key, not two");
            worker.startWorker(WorkerOptions.builder().concurrency(1).build());
            assertEquals(1, h.get(Duration.ofSeconds(10)), "the task ran once");
            Await.until(Duration.ofSeconds(10), "both ran", () -> direct.stats("default").ready() == 0);
        }
    }
}
