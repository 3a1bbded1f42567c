package io.taskq.redis.limits;

import io.taskq.Task;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** The tasks of {@link LimitsLoad}: each records when it started (ms), or how many ran at once. */
public class LoadTasks {
    /** Start times of load.global. */
    static final Queue<Long> GLOBAL = new ConcurrentLinkedQueue<>();
    /** Start times of load.tenant: tenant * 2^42 + ms would overflow, so pairs. */
    static final Queue<long[]> TENANTS = new ConcurrentLinkedQueue<>();
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();

    @Task(name = "load.global", queue = "load", rateLimit = "1000/s")
    public void global(int n) {
        GLOBAL.add(System.currentTimeMillis());
    }

    @Task(name = "load.tenant", queue = "tenants", rateLimit = "10/s", limitKey = "arg:0")
    public void tenant(int tenant, int n) {
        TENANTS.add(new long[] {tenant, System.currentTimeMillis()});
    }

    @Task(name = "load.five", queue = "five", concurrencyLimit = 5)
    public void five(int n) throws InterruptedException {
        MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
        try {
            Thread.sleep(5);
        } finally {
            RUNNING.decrementAndGet();
        }
    }
}
