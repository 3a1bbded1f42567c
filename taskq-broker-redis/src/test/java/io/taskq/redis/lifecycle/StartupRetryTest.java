package io.taskq.redis.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.lettuce.core.RedisConnectionException;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisTestServer;
import io.taskq.redis.fault.FaultTasks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broker built while Redis is down waits for it (start-up retry, default on) instead of failing; with the retry
 * off, or past its time, the build fails with a clear error.
 */
class StartupRetryTest {
    private RedisTestServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = RedisTestServer.startLocal(false);
        server.kill();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aBrokerBuiltWhileRedisIsDownStartsOnceRedisIsUp() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            CompletableFuture<RedisBroker> building = CompletableFuture.supplyAsync(
                    () -> RedisBroker.builder().uri(server.url()).keyPrefix("startup").build());
            Await.until(Duration.ofSeconds(20), "a retry logged", () -> logs.messages(Level.WARN).stream()
                    .anyMatch(m -> m.startsWith("Redis broker: Redis at " + server.url() + " is not reachable yet (")));
            server.restart();
            try (RedisBroker broker = building.get(60, TimeUnit.SECONDS);
                 Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
                taskq.startWorker(WorkerOptions.builder().concurrency(1).build());
                assertEquals("up", taskq.submit(FaultTasks::echo, "up").get(Duration.ofSeconds(10)));
            }
        }
    }

    @Test
    void withTheRetryOffTheBuildFailsAtOnceWithAClearError() {
        RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> RedisBroker.builder()
                .uri(server.url()).startupRetryTimeout(Duration.ZERO).build());
        assertTrue(e.getMessage().startsWith("Redis at " + server.url() + " is not reachable (start-up retry is off): "),
                e.getMessage());
    }

    @Test
    void pastTheRetryTimeTheBuildFailsWithAClearError() {
        RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> RedisBroker.builder()
                .uri(server.url()).startupRetryTimeout(Duration.ofSeconds(1)).build());
        assertTrue(e.getMessage().startsWith("Redis at " + server.url() + " is not reachable (gave up after "),
                e.getMessage());
    }
}
