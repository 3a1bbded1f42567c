package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
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
import io.taskq.redis.RedisTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker whose Redis connections go through a {@link FlakyProxy}, while a producer with its own direct connection
 * submits steadily. Mid-run the network drops for at least 5 s (and until the worker reports unhealthy), either
 * silently (blackhole: nothing forwarded, no socket closed, like a pulled cable) or loudly (every connection reset,
 * new ones reset too), and comes back.
 * The worker must report itself unhealthy while its claims fail, resume consuming within 10 s of the restore
 * (measured: first task started after the restore), report healthy again, and every submitted task must end
 * SUCCESS (no loss; a task whose lease ran out during the drop may run twice). A third case strands the open
 * connections for good while new ones pass (no restore): the worker must replace them and consume within 10 s.
 */
class NetworkDropTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CLAIM_WAIT = Duration.ofMillis(500);
    private static final long DROP_MS = 5_000;

    private RedisTestServer server;
    private FlakyProxy proxy;
    private RedisBroker workerBroker;
    private RedisBroker producerBroker;
    private Taskq worker;
    private Taskq producer;

    /** Start times of every execution (ms), by task id; shared by the worker's task threads. */
    static final Map<String, List<Long>> STARTS = new ConcurrentHashMap<>();

    public static final class NetTasks {
        @Task(name = "net.work")
        public String work(int millis) throws InterruptedException {
            STARTS.computeIfAbsent(TaskContext.current().orElseThrow().taskId(), k -> new java.util.concurrent
                    .CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
            Thread.sleep(millis);
            return "ok";
        }
    }

    @BeforeEach
    void start() {
        STARTS.clear();
        server = RedisTestServer.start();
        RedisURI target = RedisURI.create(server.url());
        proxy = new FlakyProxy(target.getHost(), target.getPort());
        String prefix = "net-" + UUID.randomUUID().toString().substring(0, 8);
        // The short timeout can be exceeded by start-up's script loads on a loaded machine: retry the start-up.
        workerBroker = Await.value(Duration.ofSeconds(30), "a broker through the proxy", () -> {
            try {
                return RedisBroker.builder().uri(proxy.url()).keyPrefix(prefix).commandTimeout(COMMAND_TIMEOUT)
                        .build();
            } catch (RuntimeException e) {
                return null;
            }
        });
        producerBroker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
        worker = Taskq.builder().broker(workerBroker).tasks(new NetTasks()).build();
        producer = Taskq.builder().broker(producerBroker).tasks(new NetTasks()).build();
    }

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close();
            worker.close();
            producerBroker.close();
            workerBroker.close();
        }
        proxy.close();
        server.close();
    }

    @Test
    void aBlackholeStopsClaimsAndTheWorkerResumesAfterTheRestore() throws Exception {
        run("blackhole", proxy::blackhole);
    }

    @Test
    void resetConnectionsStopClaimsAndTheWorkerResumesAfterTheRestore() throws Exception {
        run("reset", () -> {
            proxy.refuse(true);
            proxy.reset();
        });
    }

    /**
     * The worker's open connections go silent for good (a NAT or firewall lost their flows and drops their packets
     * without a reset) while new connections would pass: TCP alone would wait ~15 min before giving up. The
     * broker's silent-connection watchdog replaces the shared connection, the idle wait replaces its own, and the
     * worker consumes again within 10 s; nothing is lost.
     */
    @Test
    void silentlyDeadConnectionsAreReplacedWithin10s() throws Exception {
        Worker w = worker.startWorker(options());
        List<TaskHandle<String>> handles = new ArrayList<>();
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread prod = produce("stranded", handles, submitted, stop);
        Await.until(Duration.ofSeconds(10), "the worker consumes first", () -> STARTS.size() >= 20);

        long strandAt = System.currentTimeMillis();
        proxy.strandExisting();
        long resumedAt = Await.value(Duration.ofSeconds(10), "a task submitted after the drop started within 10 s",
                () -> STARTS.entrySet().stream().filter(e -> submitted.getOrDefault(e.getKey(), 0L) > strandAt)
                        .flatMap(e -> e.getValue().stream()).min(Long::compare).orElse(null));
        Await.until(Duration.ofSeconds(10), "healthy", w::isHealthy);
        sleep(500);
        stop.set(true);
        prod.join();
        List<TaskHandle<String>> all;
        synchronized (handles) {
            all = new ArrayList<>(handles);
        }
        Await.until(Duration.ofSeconds(15), "every submitted task done",
                () -> all.stream().allMatch(h -> state(h) == TaskState.SUCCESS));
        System.out.printf("network drop (stranded connections): consuming again %d ms after the drop; %d tasks, "
                        + "all SUCCESS, %d ran more than once; %d connections accepted by the proxy%n",
                resumedAt - strandAt, all.size(), STARTS.values().stream().filter(l -> l.size() > 1).count(),
                proxy.acceptedCount());
    }

    /**
     * The result-notification subscription goes silent (its flow is lost without a reset) while a client waits
     * for a result: pub/sub never sends anything by itself, so without a PING nobody would notice and the waiter
     * would hear nothing until its own timeout. The subscription's watchdog replaces the connection and the waiter
     * re-reads its record: {@code get()} returns within 10 s of the task finishing.
     */
    @Test
    void aSilentResultSubscriptionIsReplacedAndWaitersWake() throws Exception {
        // Here the worker runs behind the direct connection and the client waits through the proxy.
        producer.startWorker(options());
        assertEquals("ok", worker.submit(TaskRequest.of(NetTasks::work, 1).queue("net")).get(Duration.ofSeconds(10)),
                "the client's result subscription is open and works");

        proxy.strandExisting();
        TaskHandle<String> viaProxy = worker.handle("net", "late", String.class);
        Await.until(Duration.ofSeconds(10), "reads through the proxy work again (shared connection replaced)", () -> {
            try {
                viaProxy.state();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        TaskHandle<String> h = producer.submit(TaskRequest.of(NetTasks::work, 1500).queue("net").id("late"));
        long waitFrom = System.currentTimeMillis();
        String result = viaProxy.get(Duration.ofSeconds(20));
        long done = h.info().updatedAt().toEpochMilli();
        long woke = System.currentTimeMillis();
        System.out.printf("network drop (stranded result subscription): get() returned %d ms after the task"
                + " finished (%d ms after the client began to wait)%n", woke - done, woke - waitFrom);
        assertEquals("ok", result);
        assertTrue(woke - done < 10_000, "woken " + (woke - done) + " ms after the task finished");
    }

    private static WorkerOptions options() {
        return WorkerOptions.builder().queues("net").concurrency(4).lease(Duration.ofSeconds(3))
                .claimWait(CLAIM_WAIT).build();
    }

    /** Submits a 20 ms task every 25 ms through the producer's direct connection until {@code stop}. */
    private Thread produce(String kind, List<TaskHandle<String>> handles, Map<String, Long> submitted,
                           AtomicBoolean stop) {
        Thread prod = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                String id = kind + "-" + i++;
                TaskHandle<String> h = producer.submit(TaskRequest.of(NetTasks::work, 20).queue("net").id(id));
                submitted.put(id, System.currentTimeMillis());
                synchronized (handles) {
                    handles.add(h);
                }
                sleep(25);
            }
        }, "producer");
        prod.start();
        return prod;
    }

    private void run(String kind, Runnable drop) throws Exception {
        Worker w = worker.startWorker(options());
        List<TaskHandle<String>> handles = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread prod = produce(kind, handles, new ConcurrentHashMap<>(), stop);
        Await.until(Duration.ofSeconds(10), "the worker consumes before the drop", () -> STARTS.size() >= 20);
        assertTrue(w.isHealthy());

        long dropAt = System.currentTimeMillis();
        drop.run();
        Await.until(Duration.ofSeconds(DROP_MS / 1000 + 3), "the worker reports unhealthy", () -> !w.isHealthy());
        long unhealthyAfter = System.currentTimeMillis() - dropAt;
        sleep(Math.max(0, dropAt + DROP_MS - System.currentTimeMillis()));
        assertFalse(w.isHealthy(), "unhealthy for as long as the network is down");

        long restoreAt = System.currentTimeMillis();
        long droppedMs = restoreAt - dropAt;
        proxy.restore();
        long resumedAt = Await.value(Duration.ofSeconds(10), "a task started within 10 s of the restore",
                () -> STARTS.values().stream().flatMap(List::stream).filter(t -> t >= restoreAt).min(Long::compare)
                        .orElse(null));
        Await.until(Duration.ofSeconds(10), "healthy again within 10 s of the restore", w::isHealthy);
        long healthyAfter = System.currentTimeMillis() - restoreAt;
        sleep(500);
        stop.set(true);
        prod.join();

        List<TaskHandle<String>> all;
        synchronized (handles) {
            all = new ArrayList<>(handles);
        }
        Await.until(Duration.ofSeconds(15), "every submitted task done",
                () -> all.stream().allMatch(h -> state(h) == TaskState.SUCCESS));
        long twice = STARTS.values().stream().filter(l -> l.size() > 1).count();
        System.out.printf("network drop (%s for %d ms): unhealthy %d ms after the drop; consuming again %d ms and "
                        + "healthy %d ms after the restore; %d tasks, all SUCCESS, %d ran more than once; "
                        + "%d connections accepted by the proxy%n", kind, droppedMs, unhealthyAfter,
                resumedAt - restoreAt, healthyAfter, all.size(), twice, proxy.acceptedCount());
        assertEquals(all.size(), all.stream().filter(h -> "ok".equals(h.get(Duration.ofSeconds(1)))).count());
        assertTrue(resumedAt - restoreAt < 10_000);
    }

    private static TaskState state(TaskHandle<?> h) {
        try {
            return h.state();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
