package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.micrometer.RedisConnectionMetrics;
import io.taskq.micrometer.TaskqMeters;
import io.taskq.redis.RedisBackend;
import io.taskq.redis.RedisTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * taskq-micrometer's Redis connection counters against a redis-server that is killed, stays down a while and comes
 * back: disconnects, reconnect attempts and failed attempts move, and the counting goes on after the reconnect.
 */
class RedisReconnectMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private RedisTestServer server;
    private RedisBackend backend;
    private Taskq taskq;
    private RedisConnectionMetrics metrics;

    @BeforeEach
    void start() {
        server = RedisTestServer.startLocal(false);
        backend = RedisBackend.builder().uri(server.url()).keyPrefix("reconnect")
                .commandTimeout(Duration.ofSeconds(2)).build();
        metrics = new RedisConnectionMetrics(registry, backend.clientResources());
        taskq = Taskq.builder().broker(backend.broker()).tasks(new FaultTasks()).build();
        taskq.startWorker(WorkerOptions.builder().queues("r").concurrency(2).claimWait(Duration.ofSeconds(1))
                .build());
    }

    @AfterEach
    void stop() {
        taskq.close();
        metrics.close();
        backend.close();
        server.close();
    }

    private double count(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void aRestartIsCountedAsDisconnectsAndReconnectAttempts() throws Exception {
        assertEquals("up", taskq.submit(TaskRequest.of(FaultTasks::echo, "up").queue("r")).get(WAIT));
        assertEquals(0, count(TaskqMeters.REDIS_DISCONNECTS), "nothing went down yet");
        assertEquals(0, count(TaskqMeters.REDIS_RECONNECT_ATTEMPTS));

        server.kill();
        Await.until(WAIT, "the disconnects counted", () -> count(TaskqMeters.REDIS_DISCONNECTS) >= 1);
        // While Redis is down, attempts fail: the back-off goes on trying.
        Await.until(WAIT, "failed reconnect attempts counted",
                () -> count(TaskqMeters.REDIS_RECONNECT_FAILURES) >= 1);
        double attemptsWhileDown = count(TaskqMeters.REDIS_RECONNECT_ATTEMPTS);
        assertTrue(attemptsWhileDown >= 1, "attempts: " + attemptsWhileDown);

        server.restart();
        Await.until(WAIT, "tasks run again", () -> {
            try {
                return "back".equals(taskq.submit(TaskRequest.of(FaultTasks::echo, "back").queue("r"))
                        .get(Duration.ofSeconds(2)));
            } catch (RuntimeException e) {
                return false;
            }
        });
        double disconnects = count(TaskqMeters.REDIS_DISCONNECTS);
        assertTrue(count(TaskqMeters.REDIS_RECONNECT_ATTEMPTS) >= attemptsWhileDown);

        // Counting goes on after the reconnect: a second outage moves the counter again.
        server.kill();
        Await.until(WAIT, "the second outage counted", () -> count(TaskqMeters.REDIS_DISCONNECTS) > disconnects);
        server.restart();
    }
}
