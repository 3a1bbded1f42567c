package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
            proxy.swallowReplies(true);
            CompletableFuture<TaskHandle<Integer>> submit =
                    CompletableFuture.supplyAsync(() -> producer.submit(FaultTasks::count, key));
            // The command reached Redis and the task is there; its reply (and those of the retries) is lost.
            Await.until(Duration.ofSeconds(10), "the task landed", () -> direct.stats("default").ready() == 1);
            Await.until(Duration.ofSeconds(10), "its reply was lost", () -> proxy.swallowedBytes() > 0);
            Thread.sleep(1500); // past the command timeout: the first attempt failed, a retry's reply is lost too
            proxy.swallowReplies(false);
            proxy.reset();
            TaskHandle<Integer> h = submit.get(20, TimeUnit.SECONDS);
            assertEquals(1, direct.stats("default").ready(), "one task, not two");
            worker.startWorker(WorkerOptions.builder().concurrency(1).build());
            assertEquals(1, h.get(Duration.ofSeconds(10)), "the task ran once");
            assertEquals(0, direct.stats("default").ready());
        }
    }
}
