package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.QueueStats;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisTestServer;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases under stress: a stalled worker is fenced off; ETAs and long tasks longer than the lease run once. */
class LeaseFaultTest {
    private static RedisTestServer server;
    private RedisBroker broker;
    private Taskq taskq;

    @BeforeAll
    static void startRedis() {
        server = RedisTestServer.start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @BeforeEach
    void open() {
        broker = RedisBroker.builder().uri(server.url()).keyPrefix("lease" + UUID.randomUUID().toString()
                .substring(0, 8)).build();
        taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
    }

    @AfterEach
    void close() {
        taskq.close();
        broker.close();
    }

    @Test
    void aStalledWorkersLateFinishIsRejectedAndTheNewAttemptWins() {
        // Its renewals never arrive: the worker stalls past its lease without noticing.
        Taskq stalledTaskq = Taskq.builder().broker(new NoRenewBroker(broker)).resultBackend(broker)
                .tasks(new FaultTasks()).build();
        Worker stalled = stalledTaskq.startWorker(WorkerOptions.builder().workerId("stalled").queues("ll")
                .concurrency(1).lease(Duration.ofSeconds(1)).claimWait(Duration.ofMillis(500)).build());
        TaskHandle<String> h = taskq.submit(TaskRequest.of(FaultTasks::stall, 4000).queue("ll"));
        Await.until(Duration.ofSeconds(10), "the first attempt runs", () -> h.state() == TaskState.STARTED);
        taskq.startWorker(WorkerOptions.builder().workerId("healthy").queues("ll").concurrency(1)
                .lease(Duration.ofSeconds(10)).claimWait(Duration.ofMillis(500)).build());
        assertEquals("attempt-2", h.get(Duration.ofSeconds(20)));
        Await.until(Duration.ofSeconds(20), "the stalled worker's outcome is refused",
                () -> stalled.staleOutcomeCount() == 1);
        TaskRecord r = broker.get("ll", h.id()).orElseThrow();
        assertEquals(TaskState.SUCCESS, r.state());
        assertEquals("\"attempt-2\"", r.result());
        assertEquals(2, r.attempt());
        assertEquals("healthy", r.worker());
        stalledTaskq.close();
    }

    @Test
    void anEtaLongerThanTheLeaseRunsExactlyOnce() {
        taskq.startWorker(WorkerOptions.builder().queues("eta").concurrency(2).lease(Duration.ofMillis(500))
                .claimWait(Duration.ofMillis(300)).build());
        String key = "eta-" + UUID.randomUUID();
        TaskHandle<Integer> h = taskq.submit(TaskRequest.of(FaultTasks::count, key).queue("eta")
                .countdown(Duration.ofSeconds(2)));
        assertEquals(1, h.get(Duration.ofSeconds(20)));
        assertEquals(1, FaultTasks.RUNS.get(key).get());
        assertEquals(1, broker.get("eta", h.id()).orElseThrow().attempt());
        assertEquals(new QueueStats("eta", 0, 0, 0, 0), broker.stats("eta"), "nothing left that could run again");
    }

    @Test
    void aTaskRunningLongerThanItsLeaseIsRenewedAndRunsOnce() {
        taskq.startWorker(WorkerOptions.builder().queues("long").concurrency(2).lease(Duration.ofMillis(600))
                .leaseRenewInterval(Duration.ofMillis(150)).claimWait(Duration.ofMillis(300)).build());
        taskq.startWorker(WorkerOptions.builder().workerId("second").queues("long").concurrency(2)
                .lease(Duration.ofMillis(600)).leaseRenewInterval(Duration.ofMillis(150))
                .claimWait(Duration.ofMillis(300)).build());
        TaskHandle<Integer> h = taskq.submit(TaskRequest.of(FaultTasks::slow, 2500).queue("long"));
        assertEquals(1, h.get(Duration.ofSeconds(20)), "finished by its first attempt");
        assertEquals(1, broker.get("long", h.id()).orElseThrow().attempt());
    }
}
