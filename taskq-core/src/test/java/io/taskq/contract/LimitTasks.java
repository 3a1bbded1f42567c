package io.taskq.contract;

import io.taskq.Task;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The tasks of {@link LimitsContractTest}: rate-, key- and concurrency-limited, and one without a limit. */
public class LimitTasks {
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    int count(String name) {
        AtomicInteger n = runs.get(name);
        return n == null ? 0 : n.get();
    }

    private void ran(String name) {
        runs.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Returns the tenant that its chain's next step (or its callback) counts under. */
    @Task(name = "lim.source", queue = "lim")
    public String source(String tenant) {
        ran("source");
        return tenant;
    }

    /** A follow-up limited per tenant, the tenant being the previous task's result (its last argument). */
    @Task(name = "lim.step", queue = "lim", rateLimit = "1/s", limitKey = "arg:1")
    public void step(int n, String tenant) {
        ran("step-" + tenant);
    }

    @Task(name = "lim.slow", queue = "lim", rateLimit = "1/s")
    public void slow(String label) {
        ran("slow");
    }

    @Task(name = "lim.tenant", queue = "lim", rateLimit = "1/s", limitKey = "arg:0")
    public void tenant(String tenant, int n) {
        ran("tenant:" + tenant);
    }

    @Task(name = "lim.header", queue = "lim", rateLimit = "1/s", limitKey = "header:tenant")
    public void byHeader(int n) {
        ran("header");
    }

    @Task(name = "lim.pair", queue = "lim", concurrencyLimit = 2)
    public void pair(int n) {
        ran("pair");
    }

    @Task(name = "lim.report", queue = "lim", uniqueUntil = "finished", uniqueArgs = 0)
    public void report(String customer, int attempt) {
        ran("report");
    }

    @Task(name = "lim.free", queue = "lim")
    public void free(int n) {
        ran("free");
    }
}
