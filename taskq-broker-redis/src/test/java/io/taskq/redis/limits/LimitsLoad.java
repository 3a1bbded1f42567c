package io.taskq.redis.limits;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load shape for limits, scaled for CI (docs/limits.md#testing-and-measuring): three brokers (each its
 * own connections, as three worker JVMs would have) with 64 threads each, on the real clock. Counts over a window
 * are the outcome asserted, never a speed: the window is 6 s (the 60 s divided by ten) after the first
 * second, and each count must be within 5 % of what the limit allows.
 */
abstract class LimitsLoad {
    private static final long WINDOW_MS = 6_000;
    private final List<Taskq> taskqs = new ArrayList<>();
    private final List<RedisBroker> brokers = new ArrayList<>();

    /** A broker under {@code prefix}. */
    protected abstract RedisBroker newBroker(String prefix);

    private List<Taskq> three(String queue) {
        String prefix = "load" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            RedisBroker b = newBroker(prefix);
            brokers.add(b);
            taskqs.add(Taskq.builder().broker(b).tasks(new LoadTasks()).build());
        }
        return taskqs;
    }

    private static void startWorkers(List<Taskq> ts, String queue) {
        for (Taskq t : ts) {
            t.startWorker(WorkerOptions.builder().queues(queue).concurrency(64).claimWait(Duration.ofMillis(500))
                    .build());
        }
    }

    @AfterEach
    void close() {
        taskqs.forEach(Taskq::close);
        brokers.forEach(RedisBroker::close);
    }

    private static void submit(Taskq t, List<TaskRequest<?>> requests) {
        for (int i = 0; i < requests.size(); i += 500) {
            List<TaskHandle<?>> sent = t.submitAll(requests.subList(i, Math.min(requests.size(), i + 500)));
            assertTrue(sent.stream().allMatch(TaskHandle::created));
        }
    }

    @Test
    void aGlobalRateOf1000PerSecondHoldsAcrossThreeWorkers() {
        List<Taskq> ts = three("load");
        List<TaskRequest<?>> requests = new ArrayList<>();
        for (int i = 0; i < 8_500; i++) {
            requests.add(TaskRequest.of(LoadTasks::global, i));
        }
        LoadTasks.GLOBAL.clear();
        submit(ts.get(0), requests);
        startWorkers(ts, "load");
        Await.until(Duration.ofSeconds(60), "a first start", () -> !LoadTasks.GLOBAL.isEmpty());
        long t0 = LoadTasks.GLOBAL.stream().mapToLong(Long::longValue).min().orElseThrow();
        long from = t0 + 1_000;
        long to = from + WINDOW_MS;
        Await.until(Duration.ofSeconds(60), "starts past the window",
                () -> LoadTasks.GLOBAL.stream().anyMatch(ms -> ms >= to));
        long n = LoadTasks.GLOBAL.stream().filter(ms -> ms >= from && ms < to).count();
        assertTrue(Math.abs(n - 6_000) <= 300, "starts in 6 s at 1000/s: " + n);
    }

    @Test
    void aRateOf10PerSecondHoldsForEachOf100Tenants() {
        List<Taskq> ts = three("tenants");
        List<TaskRequest<?>> requests = new ArrayList<>();
        for (int j = 0; j < 85; j++) {
            for (int tenant = 0; tenant < 100; tenant++) {
                requests.add(TaskRequest.of(LoadTasks::tenant, tenant, j));
            }
        }
        LoadTasks.TENANTS.clear();
        submit(ts.get(0), requests);
        startWorkers(ts, "tenants");
        Await.until(Duration.ofSeconds(60), "a first start", () -> !LoadTasks.TENANTS.isEmpty());
        long t0 = LoadTasks.TENANTS.stream().mapToLong(p -> p[1]).min().orElseThrow();
        long from = t0 + 1_000;
        long to = from + WINDOW_MS;
        Await.until(Duration.ofSeconds(60), "every tenant past the window", () -> {
            Map<Long, Boolean> past = new HashMap<>();
            LoadTasks.TENANTS.forEach(p -> {
                if (p[1] >= to) {
                    past.put(p[0], true);
                }
            });
            return past.size() == 100;
        });
        Map<Long, Integer> counts = new HashMap<>();
        LoadTasks.TENANTS.forEach(p -> {
            if (p[1] >= from && p[1] < to) {
                counts.merge(p[0], 1, Integer::sum);
            }
        });
        for (long tenant = 0; tenant < 100; tenant++) {
            int n = counts.getOrDefault(tenant, 0);
            assertTrue(Math.abs(n - 60) <= 3, "tenant " + tenant + ": starts in 6 s at 10/s: " + n);
        }
    }

    @Test
    void aConcurrencyLimitOf5IsNeverExceededByThreeWorkers() {
        List<Taskq> ts = three("five");
        List<TaskRequest<?>> requests = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            requests.add(TaskRequest.of(LoadTasks::five, i));
        }
        LoadTasks.MOST.set(0);
        submit(ts.get(0), requests);
        startWorkers(ts, "five");
        Await.until(Duration.ofSeconds(60), "every task ran",
                () -> brokers.get(0).stats("five").ready() + brokers.get(0).stats("five").delayed()
                        + brokers.get(0).stats("five").inFlight() == 0);
        assertTrue(LoadTasks.MOST.get() <= 5, "most at once: " + LoadTasks.MOST.get());
        assertTrue(LoadTasks.MOST.get() >= 2, "the limit is not one: " + LoadTasks.MOST.get());
    }
}
