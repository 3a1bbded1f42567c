package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Signature;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker JVM killed with SIGKILL in the middle of a chain (docs/workflows.md): the step it was running runs again
 * elsewhere after its lease, and every step succeeds exactly once, in order, each with the result of the one before.
 */
class ChainCrashTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void aChainSurvivesItsWorkerKilledMidStep() throws Exception {
        String prefix = "chaincrash" + System.nanoTime();
        Process child = ChildJvm.startWorker(server.url(), prefix, List.of(), "chain", "2000", "1");
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            FaultTasks.RUNS.clear();
            ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(FaultTasks::echo, "s").queue("chain"))
                    .then(Signature.of(FaultTasks::chainStep, "one").queue("chain"))
                    .then(Signature.of(FaultTasks::chainStep, "hang").queue("chain"))
                    .then(Signature.of(FaultTasks::chainStep, "three").queue("chain")));
            TaskHandle<?> hanging = h.steps().get(2);
            Await.until(Duration.ofSeconds(30), "the child runs the hanging step",
                    () -> hanging.state() == TaskState.STARTED);

            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));

            taskq.startWorker(WorkerOptions.builder().queues("chain").concurrency(2).lease(Duration.ofSeconds(2))
                    .claimWait(Duration.ofMillis(500)).build());
            assertEquals("s>one@1>hang@2>three@1", h.get(Duration.ofSeconds(30)));
            int[] attempts = {1, 1, 2, 1};
            for (int i = 0; i < attempts.length; i++) {
                var record = broker.get("chain", h.steps().get(i).id()).orElseThrow();
                assertEquals(TaskState.SUCCESS, record.state(), "step " + i);
                assertEquals(attempts[i], record.attempt(), "claims of step " + i);
            }
            assertEquals(1, FaultTasks.RUNS.get("chain-hang").get(), "the killed step ran once here");
            assertEquals(1, FaultTasks.RUNS.get("chain-three").get(), "the last step ran once");
            assertEquals(null, FaultTasks.RUNS.get("chain-one"), "the first steps ran in the child only");
            Await.until(Duration.ofSeconds(10), "queue drained", () -> {
                var s = broker.stats("chain");
                return s.ready() == 0 && s.inFlight() == 0 && s.delayed() == 0 && s.dead() == 0;
            });
        } finally {
            child.destroyForcibly();
        }
    }
}
