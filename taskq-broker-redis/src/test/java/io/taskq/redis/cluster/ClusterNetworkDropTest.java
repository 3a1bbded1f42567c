package io.taskq.redis.cluster;

import io.taskq.redis.BrokerInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Task;
import io.taskq.TaskContext;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.fault.FlakyProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 3-master Cluster whose nodes each sit behind a {@link FlakyProxy} and announce the proxy's port
 * ({@code cluster-announce-port}), so every client connection, including the per-node connections Lettuce opens
 * from the topology, goes through a proxy, while the nodes' cluster bus talks directly. Mid-run the open
 * connections to one master are stranded for good (a NAT or firewall lost their flows: packets dropped, no reset)
 * while new connections pass. TCP alone would wait ~15 minutes; the broker's watchdog must notice that the master's
 * node connection answers no PING, replace the shared connection, and the worker must consume that master's queue
 * again within 10 s; a client waiting for a result through its (possibly stranded) pub/sub subscription must be
 * woken. Nothing is lost.
 */
class ClusterNetworkDropTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final String[] QUEUES = {"q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7"};

    /** Start times of every execution (ms), by task id. */
    static final Map<String, List<Long>> STARTS = new ConcurrentHashMap<>();

    private LocalCluster cluster;
    private final List<FlakyProxy> proxies = new ArrayList<>();
    private RedisBroker workerBroker;
    private RedisBroker producerBroker;
    private Taskq worker;
    private Taskq producer;

    /** The test's task. */
    public static final class DropTasks {
        @Task(name = "cnet.work")
        public String work(int millis) throws InterruptedException {
            STARTS.computeIfAbsent(TaskContext.current().orElseThrow().taskId(),
                    k -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
            Thread.sleep(millis);
            return "ok";
        }
    }

    @BeforeEach
    void start() {
        STARTS.clear();
        cluster = LocalCluster.start(3, 0);
        for (LocalRedis node : cluster.nodes()) {
            FlakyProxy p = new FlakyProxy("127.0.0.1", node.port());
            proxies.add(p);
            node.cli("CONFIG", "SET", "cluster-announce-port", Integer.toString(p.port()));
        }
        Await.until(Duration.ofSeconds(20), "every node announces its proxy's port to every other", () -> {
            for (LocalRedis node : cluster.nodes()) {
                String nodes = node.cli("CLUSTER", "NODES");
                for (FlakyProxy p : proxies) {
                    if (!nodes.contains(":" + p.port() + "@")) {
                        return false;
                    }
                }
            }
            return true;
        });
        workerBroker = buildViaProxies();
        worker = Taskq.builder().broker(workerBroker).tasks(new DropTasks()).build();
    }

    private RedisBroker.Builder viaProxies() {
        String[] seeds = proxies.stream().map(p -> "redis://127.0.0.1:" + p.port()).toArray(String[]::new);
        return RedisBroker.builder().cluster(seeds).keyPrefix("cnet").commandTimeout(COMMAND_TIMEOUT);
    }

    /** The short timeout can be exceeded by start-up's script loads on a loaded machine: retry the start-up. */
    private RedisBroker buildViaProxies() {
        return Await.value(Duration.ofSeconds(30), "a broker through the proxies", () -> {
            try {
                return viaProxies().build();
            } catch (RuntimeException e) {
                return null;
            }
        });
    }

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close();
            producerBroker.close();
        }
        if (worker != null) {
            worker.close();
            workerBroker.close();
        }
        proxies.forEach(FlakyProxy::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void strandedConnectionsToOneMasterAreReplacedWithin10s() throws Exception {
        Worker w = worker.startWorker(WorkerOptions.builder().queues(QUEUES).concurrency(8)
                .lease(Duration.ofSeconds(3)).claimWait(Duration.ofMillis(500)).build());
        // Warm-up through the worker's own broker: every master gets a node connection, the result subscription
        // is open.
        List<TaskHandle<String>> warm = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            warm.add(worker.submit(TaskRequest.of(DropTasks::work, 1).queue(QUEUES[i % QUEUES.length])));
        }
        for (TaskHandle<String> h : warm) {
            assertEquals("ok", h.get(Duration.ofSeconds(10)));
        }

        // The victim: the master of q0's slot. Every queue on it is cut off for the worker's open connections.
        LocalRedis victim = cluster.masterOf(BrokerInternals.queueKeyBase(workerBroker, "q0"));
        FlakyProxy victimProxy = proxies.get(cluster.nodes().indexOf(victim));
        Map<String, Boolean> onVictim = new HashMap<>();
        for (String q : QUEUES) {
            onVictim.put(q, cluster.masterOf(BrokerInternals.queueKeyBase(workerBroker, q)) == victim);
        }
        long strandAt = System.currentTimeMillis();
        victimProxy.strandExisting();

        // A producer with fresh connections (which pass) submits to every queue.
        producerBroker = buildViaProxies();
        producer = Taskq.builder().broker(producerBroker).tasks(new DropTasks()).build();
        Map<String, String> queueOf = new HashMap<>();
        List<TaskHandle<String>> handles = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String q = QUEUES[i % QUEUES.length];
            TaskHandle<String> h = producer.submit(TaskRequest.of(DropTasks::work, 20).queue(q).id("after-" + i));
            queueOf.put(h.id(), q);
            handles.add(h);
        }
        long resumedAt = Await.value(Duration.ofSeconds(10), "a task on the stranded master started within 10 s",
                () -> STARTS.entrySet().stream().filter(e -> queueOf.containsKey(e.getKey())
                                && onVictim.get(queueOf.get(e.getKey())))
                        .flatMap(e -> e.getValue().stream()).min(Long::compare).orElse(null));
        Await.until(Duration.ofSeconds(20), "every task submitted after the drop done",
                () -> handles.stream().allMatch(h -> state(h) == TaskState.SUCCESS));
        Await.until(Duration.ofSeconds(10), "the worker reports healthy", w::isHealthy);

        // A client waiting through the worker's broker (its subscription may have been on the victim) is woken.
        TaskHandle<String> late = producer.submit(TaskRequest.of(DropTasks::work, 1000).queue("q0").id("late"));
        String lateResult = worker.handle("q0", "late", String.class).get(Duration.ofSeconds(20));
        long lateWoken = System.currentTimeMillis() - late.info().updatedAt().toEpochMilli();

        System.out.printf("cluster network drop (one master's connections stranded): consuming its queues again "
                        + "%d ms after the drop; %d tasks, all SUCCESS, %d ran more than once; result waiter woken "
                        + "%d ms after the task finished; %d connections accepted by the victim's proxy%n",
                resumedAt - strandAt, handles.size(), STARTS.values().stream().filter(l -> l.size() > 1).count(),
                lateWoken, victimProxy.acceptedCount());
        assertEquals("ok", lateResult);
        assertTrue(onVictim.values().stream().filter(v -> v).count() >= 1);
        assertTrue(resumedAt - strandAt < 10_000);
    }

    private static TaskState state(TaskHandle<?> h) {
        try {
            return h.state();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
