package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A worker JVM killed with SIGKILL mid-task: another worker finishes everything, attempts counted. */
class WorkerCrashTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void killedWorkersTasksAreFinishedByAnotherWorker() throws Exception {
        String prefix = "crash" + System.nanoTime();
        Process child = startChild(prefix, "faults", "2000", "4");
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {

            List<TaskHandle<Integer>> hung = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hung.add(taskq.submit(TaskRequest.of(FaultTasks::hangFirst, "h" + i).queue("faults")));
            }
            List<TaskHandle<String>> queued = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                queued.add(taskq.submit(TaskRequest.of(FaultTasks::echo, "e" + i).queue("faults")));
            }
            Await.until(Duration.ofSeconds(30), "the child runs all four hanging tasks",
                    () -> hung.stream().allMatch(h -> h.state() == TaskState.STARTED));

            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));

            taskq.startWorker(WorkerOptions.builder().queues("faults").concurrency(4).lease(Duration.ofSeconds(2))
                    .claimWait(Duration.ofMillis(500)).build());
            for (TaskHandle<Integer> h : hung) {
                int attempt = h.get(Duration.ofSeconds(30));
                assertTrue(attempt >= 2, "the killed attempt counts: attempt " + attempt);
                assertEquals(attempt, broker.get("faults", h.id()).orElseThrow().attempt());
            }
            for (int i = 0; i < queued.size(); i++) {
                assertEquals("e" + i, queued.get(i).get(Duration.ofSeconds(30)));
            }
            Await.until(Duration.ofSeconds(10), "queue drained", () -> {
                var s = broker.stats("faults");
                return s.ready() == 0 && s.inFlight() == 0 && s.delayed() == 0 && s.dead() == 0;
            });
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process startChild(String prefix, String... args) throws Exception {
        return ChildJvm.startWorker(server.url(), prefix, List.of(), args);
    }

    /**
     * Issue 13, point 9: a worker killed (SIGKILL) while idle, its claim queued behind its marker wait. The kernel
     * closes its socket and Redis drops the queued claim with the connection, so tasks submitted afterwards are not
     * leased to the dead worker: another worker runs them well within the 30 s lease (a bound, not a speed claim).
     */
    @Test
    void anIdleWorkerKilledLeavesNoClaimBehind() throws Exception {
        String prefix = "idlekill" + System.nanoTime();
        Process child = startChild(prefix, "idle", "30000", "4");
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            assertEquals("warm", taskq.submit(TaskRequest.of(FaultTasks::echo, "warm").queue("idle"))
                    .get(Duration.ofSeconds(30)));
            Await.until(Duration.ofSeconds(10), "the child is idle again",
                    () -> broker.stats("idle").inFlight() == 0);
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));

            List<TaskHandle<String>> handles = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                handles.add(taskq.submit(TaskRequest.of(FaultTasks::echo, "k" + i).queue("idle")));
            }
            taskq.startWorker(WorkerOptions.builder().queues("idle").concurrency(4)
                    .claimWait(Duration.ofMillis(500)).build());
            for (int i = 0; i < handles.size(); i++) {
                assertEquals("k" + i, handles.get(i).get(Duration.ofSeconds(10)));
                assertEquals(1, broker.get("idle", handles.get(i).id()).orElseThrow().attempt(),
                        "never claimed for the killed worker");
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * Issue 13, point 10: a task that calls {@code System.exit} takes down every worker that runs it, while the same
     * worker holds other tasks (prefetch) that it has not started. The poison task is dead-lettered after
     * {@code maxRedeliveries} + 1 losses; the held tasks lost their lease just as often but had not started, so
     * those losses do not count against them, and every one of them succeeds.
     */
    @Test
    void aPoisonTaskIsDeadLetteredAndTheTasksHeldWithItAreNot() throws Exception {
        String prefix = "poison" + System.nanoTime();
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).maxRedeliveries(2)
                .build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            TaskHandle<String> poison = taskq.submit(TaskRequest.of(FaultTasks::exit, "p").queue("poison"));
            List<TaskHandle<String>> innocent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                innocent.add(taskq.submit(TaskRequest.of(FaultTasks::echo, "i" + i).queue("poison")));
            }
            int crashes = 0;
            // Each child (one slot, three held) claims the poison task first (its place in line) and three
            // innocent ones, runs the poison task and dies; the expired leases are reaped by stats().
            while (!broker.get("poison", poison.id()).map(r -> r.state().isFinal()).orElse(false)) {
                assertTrue(crashes < 8, "the poison task is still not dead-lettered after " + crashes + " crashes");
                Process child = startChild(prefix, "poison", "2000", "1", "3", "2");
                try {
                    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the poison task did not end the child");
                    assertEquals(3, child.exitValue());
                } finally {
                    child.destroyForcibly();
                }
                crashes++;
                Await.until(Duration.ofSeconds(20), "the dead child's leases are reaped",
                        () -> broker.stats("poison").inFlight() == 0);
            }
            assertEquals(3, crashes, "dead after maxRedeliveries + 1 losses");
            TaskRecord dead = broker.get("poison", poison.id()).orElseThrow();
            assertEquals(TaskState.FAILURE, dead.state());
            assertEquals("taskq.WorkerLost", dead.error().type());
            assertEquals(List.of(poison.id()), broker.deadLetters("poison", 10).stream().map(d -> d.id()).toList());

            taskq.startWorker(WorkerOptions.builder().queues("poison").concurrency(2)
                    .claimWait(Duration.ofMillis(500)).build());
            for (int i = 0; i < innocent.size(); i++) {
                assertEquals("i" + i, innocent.get(i).get(Duration.ofSeconds(30)));
            }
            assertTrue(broker.deadLetters("poison", 10).size() == 1, "no innocent task dead-lettered");
        }
    }
}
