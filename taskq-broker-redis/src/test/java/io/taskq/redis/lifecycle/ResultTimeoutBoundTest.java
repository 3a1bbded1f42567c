package io.taskq.redis.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.ResultTimeoutException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.fault.FaultTasks;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code get(timeout)} returns within its timeout (plus a small margin) while Redis answers nothing (CLIENT PAUSE),
 * although the command timeout (5 s) is longer: whether the wait's subscription is open already or not.
 */
class ResultTimeoutBoundTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Room for a loaded machine; well under the 5 s command timeout that used to bound the wait. */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    private static void assertBounded(TaskHandle<?> h) {
        long start = System.nanoTime();
        ResultTimeoutException e = assertThrows(ResultTimeoutException.class, () -> h.get(TIMEOUT));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < TIMEOUT.plus(MARGIN).toMillis(), "returned after " + tookMs + " ms");
        assertTrue(e.getMessage().startsWith("task " + h.id() + " did not finish within PT3S ("), e.getMessage());
    }

    @Test
    void getReturnsWithinItsTimeoutWhileRedisAnswersNothing() {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
             RedisBroker fresh = RedisBroker.builder().uri(server.url()).keyPrefix(broker.keyPrefix()).build();
             Taskq other = Taskq.builder().broker(fresh).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(1).build());
            assertEquals("x", taskq.submit(FaultTasks::echo, "x").get(Duration.ofSeconds(10))); // subscribed now
            TaskHandle<String> waiting = taskq.submit(TaskRequest.of(FaultTasks::echo, "y").queue("nobody"));
            server.with(r -> r.clientPause(10_000));
            assertBounded(taskq.handle("nobody", waiting.id())); // read while subscribed
            assertBounded(other.handle("nobody", waiting.id())); // subscribing first
        }
    }
}
