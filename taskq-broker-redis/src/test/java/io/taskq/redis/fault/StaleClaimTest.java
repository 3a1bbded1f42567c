package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.ClaimRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims that reach Redis after their sender stopped waiting for them (issue 13, point 9): what such a claim took
 * would stay leased to nobody for a whole lease (30 s here, the default) before running elsewhere. Every task must
 * run well within that lease: the bounds below are a third of it, not speed claims.
 */
class StaleClaimTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final Duration BOUND = Duration.ofSeconds(10);

    /**
     * The network between a consumer and Redis stalls (a blackhole: nothing passes, nothing is closed) for longer than
     * the command timeout: its claims time out on its side and wait in the network, and tasks are submitted directly
     * meanwhile. When the network comes back, the held-up claims reach Redis and run; fenced, they claim nothing, so
     * the tasks are not leased to a consumer that gave up on them (unfenced, they were, for the whole 30 s lease).
     */
    @Test
    void claimsDeliveredAfterAStallClaimNothing() throws Exception {
        RedisURI target = RedisURI.create(server.url());
        String prefix = "stale-" + UUID.randomUUID().toString().substring(0, 8);
        try (FlakyProxy proxy = new FlakyProxy(target.getHost(), target.getPort());
             RedisBroker stalled = Await.value(Duration.ofSeconds(30), "a broker through the proxy", () -> {
                 try {
                     return RedisBroker.builder().uri(proxy.url()).keyPrefix(prefix)
                             .commandTimeout(Duration.ofSeconds(1)).build();
                 } catch (RuntimeException e) {
                     return null; // the short timeout can be exceeded by start-up on a loaded machine
                 }
             });
             RedisBroker direct = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq producer = Taskq.builder().broker(direct).tasks(new FaultTasks()).build()) {
            ClaimRequest claim = new ClaimRequest("stalled", List.of("stale"), 4, Duration.ofSeconds(30),
                    Duration.ZERO);
            assertTrue(stalled.claim(claim).isEmpty());

            proxy.blackhole();
            for (int i = 0; i < 3; i++) {
                assertThrows(RuntimeException.class, () -> stalled.claim(claim), "the claim times out");
            }
            List<TaskHandle<String>> handles = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                handles.add(producer.submit(TaskRequest.of(FaultTasks::echo, "s" + i).queue("stale")));
            }
            proxy.restore();
            // The held-up claims run as soon as their bytes pass; the stalled broker answering again (on its old
            // connection, after them, or on a new one) is the sign that they have been delivered.
            Await.until(BOUND, "the stalled broker answers again", () -> {
                try {
                    stalled.stats("stale");
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            Thread.sleep(200); // the proxy forwards what waited within 50 ms of the restore; a margin for a loaded machine
            assertEquals(0, direct.stats("stale").inFlight(), "nothing leased to the claims that arrived late");
            producer.startWorker(WorkerOptions.builder().queues("stale").concurrency(4)
                    .claimWait(Duration.ofMillis(500)).build());
            for (int i = 0; i < handles.size(); i++) {
                assertEquals("s" + i, handles.get(i).get(BOUND));
                assertEquals(1, direct.get("stale", handles.get(i).id()).orElseThrow().attempt());
            }
        }
    }

    /**
     * A worker closed while idle (its claim queued behind its marker wait) or right as work arrives: the tasks are
     * run by the next worker within the bound, never left leased to the closed one. Twelve rounds, each closing the
     * worker at a different moment relative to the submit.
     */
    @Test
    void aClosedWorkerLeavesNoClaimBehind() throws Exception {
        String prefix = "closed-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            for (int round = 0; round < 12; round++) {
                Worker w = taskq.startWorker(WorkerOptions.builder().queues("closed").concurrency(2)
                        .claimWait(Duration.ofMillis(500)).build());
                assertEquals("warm", taskq.submit(TaskRequest.of(FaultTasks::echo, "warm").queue("closed"))
                        .get(Duration.ofSeconds(30)));
                Await.until(Duration.ofSeconds(10), "the worker is idle", () -> w.activeCount() == 0);
                List<TaskHandle<String>> handles = new ArrayList<>();
                if (round % 2 == 0) {
                    w.close(); // idle: its claim waits behind the marker wait
                }
                for (int i = 0; i < 3; i++) {
                    handles.add(taskq.submit(TaskRequest.of(FaultTasks::echo, "c" + round + "-" + i)
                            .queue("closed")));
                }
                w.close(); // right behind the submits: its claim may be running
                Worker next = taskq.startWorker(WorkerOptions.builder().queues("closed").concurrency(2)
                        .claimWait(Duration.ofMillis(500)).build());
                for (int i = 0; i < handles.size(); i++) {
                    assertEquals("c" + round + "-" + i, handles.get(i).get(BOUND), "round " + round);
                }
                next.close();
            }
        }
    }
}
