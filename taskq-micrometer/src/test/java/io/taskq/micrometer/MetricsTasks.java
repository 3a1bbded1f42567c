package io.taskq.micrometer;

import io.taskq.Task;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks for the metrics tests; one instance per test. */
public class MetricsTasks {
    final AtomicInteger flakyCalls = new AtomicInteger();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Task(name = "m.ok")
    public String ok(String s) {
        return "ok " + s;
    }

    /** Fails its first attempt, succeeds on the retry. */
    @Task(name = "m.flaky", maxRetries = 1, backoff = "0ms")
    public String flaky() {
        if (flakyCalls.incrementAndGet() == 1) {
            throw new IllegalStateException("first attempt fails");
        }
        return "fine";
    }

    @Task(name = "m.dead")
    public String dead() {
        throw new IllegalArgumentException("always");
    }

    @Task(name = "m.block")
    public String block() throws InterruptedException {
        started.countDown();
        release.await();
        return "released";
    }
}
