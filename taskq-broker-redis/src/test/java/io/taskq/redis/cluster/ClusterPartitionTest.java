package io.taskq.redis.cluster;

import io.taskq.redis.BrokerInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.QueueStats;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.fault.FaultTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A hot queue spread over partitions on a 3-master Cluster; script cache loss on a node; leases on a Cluster. */
class ClusterPartitionTest {
    private static LocalCluster cluster;
    private RedisBroker broker;
    private Taskq taskq;

    @BeforeAll
    static void startCluster() {
        // Without replicas; the shards that stay up keep serving while one is down.
        cluster = LocalCluster.start(3, 0, "--cluster-require-full-coverage", "no");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void open() {
        broker = RedisBroker.builder().cluster(cluster.seeds()).keyPrefix("part").partitions("hot", 6).build();
        taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
    }

    @AfterEach
    void close() {
        taskq.close();
        broker.close();
    }

    /** Calls of a command on every live node (script-internal calls included). */
    private static long calls(String command) {
        long sum = 0;
        for (LocalRedis r : cluster.nodes()) {
            if (!r.alive()) {
                continue;
            }
            for (String line : r.cli("INFO", "commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_" + command + ":calls=")) {
                    sum += Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
                }
            }
        }
        return sum;
    }

    /**
     * An idle consumer of one queue queues its claim behind its blocking wait on the Cluster too: the claim reaches
     * the queue's node behind the wait (same slot, same node connection) and reads that node's clock.
     */
    @Test
    void anIdleWorkerOnAClusterSendsItsClaimsAhead() {
        taskq.startWorker(WorkerOptions.builder().queues("default").concurrency(2).build());
        assertEquals("warm", taskq.submit(TaskRequest.of(FaultTasks::echo, "warm").queue("default"))
                .get(Duration.ofSeconds(10)));
        long before = calls("time");
        for (int i = 0; i < 5; i++) {
            assertEquals("a" + i, taskq.submit(TaskRequest.of(FaultTasks::echo, "a" + i).queue("default"))
                    .get(Duration.ofSeconds(10)));
        }
        assertTrue(calls("time") - before >= 5, "every wake-up ran a claim sent ahead");
    }

    @Test
    void aPartitionedQueueSpreadsOverShardsAndEveryTaskIsFoundByItsId() {
        List<TaskRequest<?>> reqs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            reqs.add(TaskRequest.of(FaultTasks::echo, "m" + i).queue("hot"));
        }
        List<TaskHandle<?>> hs = taskq.submitAll(reqs);
        QueueStats s = taskq.stats("hot");
        assertEquals(300, s.ready(), "stats sum the partitions");

        // The partitions are in different slots, and (6 slots over 3 masters) on more than one shard.
        Set<Integer> ports = new HashSet<>();
        for (int p = 0; p < 6; p++) {
            String base = BrokerInternals.queueKeyBase(broker, "hot#" + p);
            LocalRedis master = cluster.masterOf(base);
            ports.add(master.port());
            long n = Long.parseLong(master.cli("ZCARD", base + ":ready").trim());
            assertTrue(n > 20, "partition " + p + " holds a share of the tasks: " + n);
        }
        assertTrue(ports.size() >= 2, "partitions on several shards: " + ports);

        // Revoke finds a partitioned task by its id.
        TaskHandle<?> revoked = hs.get(7);
        assertTrue(revoked.revoke());
        assertEquals(TaskState.REVOKED, revoked.state());

        // Lookup by id alone finds the partition's tasks, one pipelined call per partition.
        assertEquals("hot", taskq.handle(hs.get(8).id()).queue());
        assertEquals(TaskState.PENDING, taskq.handle(hs.get(8).id()).state());
        java.util.Map<String, io.taskq.TaskInfo> infos = taskq.lookup(hs.stream().map(TaskHandle::id).toList());
        assertEquals(hs.size(), infos.size());
        assertEquals(TaskState.REVOKED, infos.get(revoked.id()).state());
        assertEquals(hs.size() - 1, infos.values().stream().filter(i -> i.state() == TaskState.PENDING).count());

        taskq.startWorker(WorkerOptions.builder().queues("hot").concurrency(8).build());
        for (int i = 0; i < hs.size(); i++) {
            if (i != 7) {
                assertEquals("m" + i, hs.get(i).get(Duration.ofSeconds(20)));
            }
        }
        // A handle built from queue + id alone finds the record.
        assertEquals(TaskState.SUCCESS, taskq.handle("hot", hs.get(0).id()).state());
        Await.until(Duration.ofSeconds(5), "drained", () -> taskq.stats("hot").inFlight() == 0);
    }

    @Test
    void deadLettersOfEveryPartitionAreListedForTheQueue() {
        String id = "fixed-id";
        String part = BrokerInternals.partitionOf(broker, "hot", id);
        assertEquals(part, BrokerInternals.partitionOf(broker, "hot", id), "stable");
        assertTrue(part.startsWith("hot#"));
        // A task that fails for good lands in its partition's dead letters and is listed for the queue.
        taskq.startWorker(WorkerOptions.builder().queues("hot").concurrency(2).build());
        // Submitted by a client that knows a task the worker does not: the worker dead-letters it.
        TaskHandle<String> h;
        try (Taskq client = Taskq.builder().broker(broker).tasks(new ClientOnly()).build()) {
            h = client.submit(TaskRequest.of(ClientOnly::unknownToWorkers, "x").queue("hot").id(id));
        }
        Await.until(Duration.ofSeconds(10), "dead-lettered", () -> h.state() == TaskState.FAILURE);
        assertEquals(1, taskq.deadLetters("hot", 10).size());
        assertEquals(id, taskq.deadLetters("hot", 10).get(0).id());
        assertEquals(1, taskq.purgeDeadLetters("hot"));
    }

    /** A task only the client registers. */
    public static class ClientOnly {
        /** Never runs: no worker knows it. */
        @io.taskq.Task(name = "c.clientOnly")
        public String unknownToWorkers(String s) {
            return s;
        }
    }

    @Test
    void aNodeThatLostItsScriptCacheGetsTheSourceAgain() {
        taskq.startWorker(WorkerOptions.builder().queues("hot", "a").concurrency(2).build());
        assertEquals("x", taskq.submit(TaskRequest.of(FaultTasks::echo, "x").queue("a")).get(Duration.ofSeconds(10)));
        for (LocalRedis n : cluster.nodes()) {
            assertEquals("OK", n.cli("SCRIPT", "FLUSH").trim());
        }
        assertEquals("y", taskq.submit(TaskRequest.of(FaultTasks::echo, "y").queue("a")).get(Duration.ofSeconds(10)));
        assertEquals("z", taskq.submit(TaskRequest.of(FaultTasks::echo, "z").queue("hot")).get(Duration.ofSeconds(10)));
    }

    @Test
    void nodesThatLostTheFunctionLibraryGetItAgain() {
        assertTrue(BrokerInternals.usesFunctions(broker), "Redis 7: the queue scripts run as a function library");
        taskq.startWorker(WorkerOptions.builder().queues("hot", "a").concurrency(2).build());
        assertEquals("x", taskq.submit(TaskRequest.of(FaultTasks::echo, "x").queue("a")).get(Duration.ofSeconds(10)));
        for (LocalRedis n : cluster.nodes()) {
            if (!n.cli("ROLE").startsWith("slave")) {
                assertEquals("OK", n.cli("FUNCTION", "FLUSH").trim());
            }
        }
        assertEquals("y", taskq.submit(TaskRequest.of(FaultTasks::echo, "y").queue("a")).get(Duration.ofSeconds(10)));
        assertEquals("z", taskq.submit(TaskRequest.of(FaultTasks::echo, "z").queue("hot")).get(Duration.ofSeconds(10)));
        // Loaded again on every master, not only on the one that answered first.
        for (LocalRedis n : cluster.nodes()) {
            assertTrue(n.cli("FUNCTION", "LIST").contains("taskq_"), "library on " + n);
        }
    }

    @Test
    void aRestartedShardIsFollowedAndTheOthersKeepServing() {
        // Two queues on different shards.
        String down = "a";
        String up = null;
        for (int i = 0; up == null; i++) {
            if (cluster.masterOf(BrokerInternals.queueKeyBase(broker, "q" + i))
                    != cluster.masterOf(BrokerInternals.queueKeyBase(broker, down))) {
                up = "q" + i;
            }
        }
        io.taskq.Worker w = taskq.startWorker(WorkerOptions.builder().queues(down, up).concurrency(2)
                .claimWait(Duration.ofSeconds(1)).build());
        assertEquals("1", taskq.submit(TaskRequest.of(FaultTasks::echo, "1").queue(down)).get(Duration.ofSeconds(10)));
        LocalRedis node = cluster.masterOf(BrokerInternals.queueKeyBase(broker, down));
        node.kill();
        long t0 = System.nanoTime();
        Await.until(Duration.ofSeconds(10), "the worker reports unhealthy while its claims fail", () -> !w.isHealthy());
        long unhealthyMs = (System.nanoTime() - t0) / 1_000_000;
        // The other shard keeps serving.
        assertEquals("2", taskq.submit(TaskRequest.of(FaultTasks::echo, "2").queue(up)).get(Duration.ofSeconds(10)));
        node.restart();
        cluster.awaitOk(20);
        long t1 = System.nanoTime();
        String q = down;
        Await.until(Duration.ofSeconds(10), "submits to the restarted shard are accepted", () -> {
            try {
                return "3".equals(taskq.submit(TaskRequest.of(FaultTasks::echo, "3").queue(q))
                        .get(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                return false;
            }
        });
        long resumedMs = (System.nanoTime() - t1) / 1_000_000;
        Await.until(Duration.ofSeconds(10), "healthy again", w::isHealthy);
        System.out.printf("cluster node restart: unhealthy %d ms after the kill, consuming %d ms after restart%n",
                unhealthyMs, resumedMs);
    }

    @Test
    void leasesWorkOnACluster() {
        assertTrue(broker.tryAcquire("scheduler", "me", Duration.ofSeconds(5)));
        assertFalse(broker.tryAcquire("scheduler", "you", Duration.ofSeconds(5)));
        assertEquals("me", broker.holder("scheduler").orElseThrow());
        broker.release("scheduler", "me");
        assertTrue(broker.tryAcquire("scheduler", "you", Duration.ofSeconds(5)));
    }
}
