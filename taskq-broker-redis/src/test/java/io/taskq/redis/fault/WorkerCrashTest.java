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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChildWorker.class.getName(), server.url(), prefix, "faults", "2000", "4")
                .redirectErrorStream(true).start();
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            // A dedicated thread (not the common pool, which tests and taskq may keep busy) reads the child's
            // output to the end, so the child never blocks on a full pipe.
            CompletableFuture<Boolean> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.equals("READY")) {
                            ready.complete(true);
                        }
                    }
                } catch (Exception e) {
                    // the child is gone
                }
                ready.complete(false);
            }, "child-output");
            reader.setDaemon(true);
            reader.start();
            assertTrue(ready.get(60, TimeUnit.SECONDS), "child worker did not start");

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
                assertEquals(attempt, broker.record("faults", h.id()).orElseThrow().attempt());
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
}
