package io.taskq.spring.boot.autoconfigure;

import io.taskq.Task;
import io.taskq.scheduler.Periodic;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A task bean for the tests. */
public class TestTasks {
    /** Released by tests that hold {@link #slow} running. */
    static volatile CountDownLatch release = new CountDownLatch(0);
    /** Set when {@link #slow} returned normally. */
    static volatile boolean slowFinished;

    /** Returns a greeting. */
    @Task(name = "test.greet")
    public String greet(String name) {
        return "Hello, " + name;
    }

    /** Runs until released (or 60 s), then returns. */
    @Task(name = "test.slow")
    public String slow() throws InterruptedException {
        release.await(60, TimeUnit.SECONDS);
        slowFinished = true;
        return "done";
    }

    /** A periodic entry. */
    @Task(name = "test.tick")
    @Periodic(name = "test-tick", every = "1h")
    public void tick() {
    }
}
