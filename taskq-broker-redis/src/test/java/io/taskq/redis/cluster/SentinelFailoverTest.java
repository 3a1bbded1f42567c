package io.taskq.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.fault.FaultTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sentinel: a master, a replica and three sentinels (quorum 2, down-after 1 s). The broker connects with a
 * {@code redis-sentinel://} URI. Mid-run the master fails over (killed, or demoted by SENTINEL FAILOVER while it
 * keeps running); consumption and submits resume by themselves and the tasks complete.
 */
class SentinelFailoverTest {
    private LocalRedis master;
    private LocalRedis replica;
    private final List<LocalRedis> sentinels = new ArrayList<>();
    private RedisBroker broker;
    private Taskq taskq;

    @BeforeEach
    void start() {
        master = LocalRedis.server("sentinel-master", "--repl-diskless-sync-delay", "0");
        replica = LocalRedis.server("sentinel-replica", "--replicaof", "127.0.0.1", Integer.toString(master.port()),
                "--repl-diskless-sync-delay", "0");
        for (int i = 0; i < 3; i++) {
            sentinels.add(LocalRedis.sentinel("tq", master.port()));
        }
        awaitSynced();
        StringBuilder uri = new StringBuilder("redis-sentinel://");
        for (int i = 0; i < sentinels.size(); i++) {
            uri.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinels.get(i).port());
        }
        uri.append("/0#tq");
        broker = RedisBroker.builder().uri(uri.toString()).keyPrefix("sent").commandTimeout(Duration.ofSeconds(2))
                .build();
        taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
    }

    private void awaitSynced() {
        Await.until(Duration.ofSeconds(20), "replica in sync and known to every sentinel", () -> {
            String info = replica.cli("INFO", "replication");
            if (!info.contains("master_link_status:up")) {
                return false;
            }
            for (LocalRedis s : sentinels) {
                String r = s.cli("SENTINEL", "REPLICAS", "tq");
                if (!r.contains(Integer.toString(replica.port())) || s.cli("SENTINEL", "SENTINELS", "tq")
                        .split("\n").length < 2 * 2) {
                    return false;
                }
            }
            return true;
        });
    }

    @AfterEach
    void stop() {
        if (taskq != null) {
            taskq.close();
            broker.close();
        }
        sentinels.forEach(LocalRedis::close);
        replica.close();
        master.close();
    }

    private List<TaskHandle<Integer>> submit(int n) {
        List<TaskHandle<Integer>> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hs.add(taskq.submit(TaskRequest.of(FaultTasks::slow, 10).queue("s")));
        }
        return hs;
    }

    private static TaskState stateOf(TaskHandle<?> h) {
        try {
            return h.state();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private TaskHandle<String> submitWhenAccepted(String tag) {
        Object[] box = new Object[1];
        Await.until(Duration.ofSeconds(15), "submits accepted again", () -> {
            try {
                box[0] = taskq.submit(TaskRequest.of(FaultTasks::echo, tag).queue("s"));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        @SuppressWarnings("unchecked")
        TaskHandle<String> h = (TaskHandle<String>) box[0];
        return h;
    }

    @Test
    void theMasterIsKilledAndConsumptionResumesOnThePromotedReplica() {
        Worker w = taskq.startWorker(WorkerOptions.builder().queues("s").concurrency(4)
                .lease(Duration.ofSeconds(3)).claimWait(Duration.ofSeconds(1)).build());
        List<TaskHandle<Integer>> hs = submit(100);
        Await.until(Duration.ofSeconds(20), "some done",
                () -> hs.stream().filter(h -> stateOf(h) == TaskState.SUCCESS).count() >= 10);
        long t0 = System.nanoTime();
        master.kill();
        Await.until(Duration.ofSeconds(20), "the replica is promoted",
                () -> replica.cli("ROLE").startsWith("master"));
        long promotedMs = (System.nanoTime() - t0) / 1_000_000;
        TaskHandle<String> after = submitWhenAccepted("after");
        assertEquals("after", after.get(Duration.ofSeconds(10)));
        long resumedMs = (System.nanoTime() - t0) / 1_000_000;
        // Everything that made it to the replica completes (async replication may have lost the last writes
        // before the kill; with a 1 s sync interval on loopback that is at most a few tasks, so count them).
        Await.until(Duration.ofSeconds(30), "queue drained", () -> {
            var s = broker.stats("s");
            return s.ready() + s.delayed() + s.inFlight() == 0;
        });
        long ok = hs.stream().filter(h -> stateOf(h) == TaskState.SUCCESS).count();
        System.out.printf("sentinel kill: promoted after %d ms, consuming again after %d ms, %d/100 SUCCESS%n",
                promotedMs, resumedMs, ok);
        assertTrue(ok >= 95, "at most a few tasks lost to asynchronous replication: " + ok);
        Await.until(Duration.ofSeconds(10), "healthy", w::isHealthy);
    }

    @Test
    void aSentinelFailoverDemotesTheRunningMasterAndTheBrokerFollows() {
        Worker w = taskq.startWorker(WorkerOptions.builder().queues("s").concurrency(4)
                .lease(Duration.ofSeconds(3)).claimWait(Duration.ofSeconds(1)).build());
        List<TaskHandle<Integer>> hs = submit(100);
        Await.until(Duration.ofSeconds(20), "some done",
                () -> hs.stream().filter(h -> stateOf(h) == TaskState.SUCCESS).count() >= 10);
        long t0 = System.nanoTime();
        assertTrue(sentinels.get(0).cli("SENTINEL", "FAILOVER", "tq").contains("OK"));
        Await.until(Duration.ofSeconds(20), "the replica is promoted",
                () -> replica.cli("ROLE").startsWith("master"));
        TaskHandle<String> after = submitWhenAccepted("after");
        assertEquals("after", after.get(Duration.ofSeconds(10)));
        long resumedMs = (System.nanoTime() - t0) / 1_000_000;
        Await.until(Duration.ofSeconds(30), "every task done", () -> hs.stream()
                .allMatch(h -> stateOf(h) == TaskState.SUCCESS));
        System.out.printf("sentinel failover: consuming again after %d ms%n", resumedMs);
        assertTrue(resumedMs < 15_000);
        Await.until(Duration.ofSeconds(10), "healthy", w::isHealthy);
    }
}
