package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Control;
import io.taskq.ResultTimeoutException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerInfo;
import io.taskq.WorkerTask;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote control across real processes: a worker in a JVM of its own ({@link ChildWorker}) answers ping and stats
 * (with its own pid), lists the task it runs, pauses and resumes its queue and shuts down when this JVM, which runs
 * no worker at all, tells it to.
 */
class RemoteControlChildJvmTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aWorkerInAnotherJvmIsInspectedPausedAndShutDown() throws Exception {
        String prefix = "remote" + System.nanoTime();
        Process child = ChildJvm.startWorker(server.url(), prefix, List.of("-Dtaskq.child.nodeName=far@child"),
                "rq", "30000", "2");
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            Await.until(WAIT, "the child listed", () -> taskq.workers().stream().anyMatch(w -> w.id().equals("child")));
            Control far = taskq.control().destination("far@child").timeout(WAIT);
            assertEquals("pong", far.ping().get("child").value());
            WorkerInfo stats = far.stats().get("child").value();
            assertEquals(child.pid(), stats.pid(), "answered by the other JVM");

            TaskHandle<Integer> slow = taskq.submit(TaskRequest.of(FaultTasks::slow, 3000).queue("rq"));
            WorkerTask running = Await.value(WAIT, "the task listed as active", () -> far.active().get("child")
                    .value().stream().filter(t -> t.id().equals(slow.id())).findFirst().orElse(null));
            assertEquals("f.slow", running.name());
            assertEquals(1, slow.get(WAIT));

            assertEquals(true, far.pause("rq").get("child").value());
            TaskHandle<String> waits = taskq.submit(TaskRequest.of(FaultTasks::echo, "later").queue("rq"));
            // several of the child's claim waits go by without a claim
            assertThrows(ResultTimeoutException.class, () -> waits.get(Duration.ofMillis(1500)));
            assertEquals(TaskState.PENDING, waits.state());
            assertEquals(true, far.resume("rq").get("child").value());
            assertEquals("later", waits.get(WAIT));

            assertEquals(true, far.shutdown().get("child").value());
            Await.until(WAIT, "the child's worker closed", () -> taskq.workers().isEmpty());
            assertTrue(child.isAlive(), "the process goes on: only its worker closed");
            assertTrue(taskq.control().destination("child").timeout(Duration.ofMillis(500)).ping().isEmpty());
        } finally {
            child.destroyForcibly();
        }
    }
}
