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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A concurrency limit of 5 (docs/limits.md) while the worker JVM holding every slot is killed with SIGKILL: the
 * limit is never exceeded (the queue's claimed count, sampled throughout, and the local worker's own count), and
 * the slots come back when the dead worker's leases expire: the five tasks it held run again here.
 */
class LimitsCrashTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void aDeadWorkersSlotsComeBackWhenItsLeasesExpireAndTheLimitHolds() throws Exception {
        String prefix = "limcrash" + System.nanoTime();
        Process child = ChildJvm.startWorker(server.url(), prefix, List.of(), "climit", "2000", "10");
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicLong mostInFlight = new AtomicLong();
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            FaultTasks.limitedHangs = false;
            FaultTasks.LIMITED_MOST.set(0);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    mostInFlight.accumulateAndGet(broker.stats("climit").inFlight(), Math::max);
                    Thread.onSpinWait();
                }
            }, "in-flight-sampler");
            sampler.start();
            List<TaskHandle<Void>> handles = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                handles.add(taskq.submit(TaskRequest.of(FaultTasks::limited, i).queue("climit")));
            }
            Await.until(Duration.ofSeconds(30), "the child holds five slots",
                    () -> handles.stream().filter(h -> h.state() == TaskState.STARTED).count() == 5);
            taskq.startWorker(WorkerOptions.builder().queues("climit").concurrency(10).lease(Duration.ofSeconds(5))
                    .claimWait(Duration.ofMillis(200)).build());

            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));

            for (TaskHandle<Void> h : handles) {
                h.get(Duration.ofSeconds(60));
            }
            sampling.set(false);
            sampler.join();
            assertTrue(FaultTasks.LIMITED_MOST.get() <= 5, "most at once here: " + FaultTasks.LIMITED_MOST.get());
            assertTrue(mostInFlight.get() <= 5, "most claimed at once in the queue: " + mostInFlight.get());
            assertEquals(5, handles.stream().filter(h -> broker.get("climit", h.id()).orElseThrow().attempt() == 2)
                    .count(), "the five the child held ran again here");
        } finally {
            sampling.set(false);
            FaultTasks.limitedHangs = true;
            child.destroyForcibly();
        }
    }
}
