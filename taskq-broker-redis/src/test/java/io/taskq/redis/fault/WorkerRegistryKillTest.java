package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Taskq;
import io.taskq.WorkerInfo;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15: a worker JVM killed with SIGKILL (no close, no removal) drops out of the worker registry within the
 * documented bound, three heartbeat intervals plus one listing, while the other process's worker stays listed.
 */
class WorkerRegistryKillTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final long HEARTBEAT_MS = 500;

    @Test
    void aKilledWorkerDisappearsWithinThreeHeartbeats() throws Exception {
        String prefix = "registrykill" + System.nanoTime();
        Process child = ChildJvm.startWorker(server.url(), prefix, List.of("-Dtaskq.child.nodeName=doomed@child",
                "-Dtaskq.child.heartbeatMs=" + HEARTBEAT_MS), "kq", "30000", "2");
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            taskq.startWorker(io.taskq.WorkerOptions.builder().workerId("survivor").queues("kq")
                    .heartbeatInterval(Duration.ofMillis(HEARTBEAT_MS)).claimWait(Duration.ofMillis(500)).build());
            WorkerInfo doomed = Await.value(Duration.ofSeconds(30), "the child listed", () -> taskq.workers().stream()
                    .filter(w -> w.id().equals("child")).findFirst().orElse(null));
            assertEquals("doomed@child", doomed.nodeName());
            assertEquals(child.pid(), doomed.pid());
            assertEquals(Duration.ofMillis(HEARTBEAT_MS), doomed.heartbeatInterval());

            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no removal
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            // Its last heartbeat was at most now; its entry lives three intervals from then. One second more for
            // the listing itself and a busy machine.
            Await.until(Duration.ofMillis(3 * HEARTBEAT_MS + 1000), "the killed worker drops out",
                    () -> taskq.workers().stream().noneMatch(w -> w.id().equals("child")));
            assertEquals(List.of("survivor"), taskq.workers().stream().map(WorkerInfo::id).toList());
        } finally {
            child.destroyForcibly();
        }
    }
}
