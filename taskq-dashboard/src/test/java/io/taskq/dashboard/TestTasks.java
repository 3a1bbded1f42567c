package io.taskq.dashboard;

import io.taskq.Task;
import java.util.concurrent.atomic.AtomicInteger;

/** The tasks the dashboard's tests run. */
public final class TestTasks {

    @Task(name = "dash.add")
    public int add(int a, int b) {
        return a + b;
    }

    /** Always fails: with no retries, a dead letter. */
    @Task(name = "dash.boom")
    public void boom(String secret) {
        throw new IllegalStateException("boom for " + secret.length() + " chars");
    }

    final AtomicInteger flakyCalls = new AtomicInteger();

    /** Fails the first time (a dead letter), succeeds once resubmitted. */
    @Task(name = "dash.flaky")
    public String flaky(String order) {
        if (flakyCalls.incrementAndGet() == 1) {
            throw new IllegalStateException("payment gateway timed out for " + order);
        }
        return "charged " + order;
    }

    /** Succeeds; a periodic task's run. */
    @Task(name = "dash.tick")
    public String tick() {
        return "tick";
    }
}
