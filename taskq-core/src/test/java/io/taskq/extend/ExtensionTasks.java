package io.taskq.extend;

import io.taskq.Task;
import io.taskq.TaskContext;
import io.taskq.Taskq;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks for the extension tests; one instance per test. */
public class ExtensionTasks {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);
    /** Permits for {@link #gated} tasks to end. */
    final Semaphore gate = new Semaphore(0);
    /** {@link #gated} tasks running now, and the most that ran at once since {@link #resetPeak}. */
    final AtomicInteger gatedRunning = new AtomicInteger();
    final AtomicInteger gatedPeak = new AtomicInteger();

    void resetPeak() {
        gatedPeak.set(gatedRunning.get());
    }

    /** Where {@link #spawn} submits its child; set by the test. */
    volatile Taskq taskq;

    int count(String name) {
        return calls.computeIfAbsent(name, k -> new AtomicInteger()).get();
    }

    private void called(String name) {
        calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    @Task(name = "x.ok")
    public String ok(String s) {
        called("ok");
        return "ok " + s;
    }

    @Task(name = "x.gated")
    public String gated(String s) throws InterruptedException {
        gatedPeak.accumulateAndGet(gatedRunning.incrementAndGet(), Math::max);
        try {
            gate.acquire();
            return s;
        } finally {
            gatedRunning.decrementAndGet();
        }
    }

    @Task(name = "x.spawn")
    public String spawn(String s) {
        return taskq.submit(ExtensionTasks::ok, s).id();
    }

    /** The logging context of each run of {@link #logs}. */
    final Queue<Map<String, String>> mdc = new ConcurrentLinkedQueue<>();

    /** Reports one step of progress, then returns. */
    @Task(name = "x.progress")
    public String progress(String s) {
        TaskContext.current().orElseThrow().updateState("CONVERTING", Map.of("file", s, "percent", 50));
        return s;
    }

    /** Returns its custom headers. */
    @Task(name = "x.headers")
    public Map<String, String> headers() {
        return TaskContext.current().orElseThrow().headers();
    }

    /** Keeps the MDC it runs with, then fails once to run twice. */
    @Task(name = "x.logs", maxRetries = 1, backoff = "0ms")
    public String logs() {
        Map<String, String> copy = org.slf4j.MDC.getCopyOfContextMap();
        mdc.add(copy == null ? Map.of() : new HashMap<>(copy));
        if (mdc.size() == 1) {
            throw new IllegalStateException("first attempt fails");
        }
        return "logged";
    }

    @Task(name = "x.fails", maxRetries = 1, backoff = "0ms")
    public String fails() {
        called("fails");
        throw new IllegalStateException("boom");
    }

    @Task(name = "x.io", maxRetries = 1, backoff = "0ms", retryOn = IOException.class)
    public String io() {
        called("io");
        return "io";
    }

    /** Declares no retry attribute: a default policy on the builder applies to it. */
    @Task(name = "x.plain")
    public String plain() {
        called("plain");
        throw new IllegalStateException("plain");
    }

    @Task(name = "x.block")
    public String block() throws InterruptedException {
        called("block");
        release.await();
        return "released";
    }

    @Task(name = "x.slow", timeLimit = "200ms")
    public String slow() throws InterruptedException {
        called("slow");
        Thread.sleep(60_000);
        return "never";
    }
}
