package io.taskq.contract;

import io.taskq.Task;
import io.taskq.TaskFailure;
import java.io.IOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks of the workflow contract (chains, callbacks); one instance per test, so the counters are per test. */
public class WorkflowTasks {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** What {@link #record} and {@link #onError} saw, in order. */
    final Queue<String> seen = new ConcurrentLinkedQueue<>();
    final CountDownLatch gate = new CountDownLatch(1);

    int count(String name) {
        return calls.computeIfAbsent(name, k -> new AtomicInteger()).get();
    }

    private int called(String name) {
        return calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    @Task(name = "wf.start")
    public String start(String s) {
        called("start");
        return s + "a";
    }

    @Task(name = "wf.append")
    public String append(String suffix, String previous) {
        called("append");
        return previous + suffix;
    }

    @Task(name = "wf.length")
    public Integer length(String previous) {
        called("length");
        return previous.length();
    }

    @Task(name = "wf.fail", maxRetries = 0)
    public String fail(String previous) {
        called("fail");
        throw new IllegalStateException("boom after " + previous);
    }

    @Task(name = "wf.flaky", maxRetries = 3, backoff = "10ms", backoffJitter = 0)
    public String flaky(int failTimes) throws IOException {
        int n = called("flaky");
        if (n <= failTimes) {
            throw new IOException("flaky failure " + n);
        }
        return "ok after " + n;
    }

    @Task(name = "wf.gated")
    public String gated(String s) throws InterruptedException {
        called("gated");
        if (!gate.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate not opened");
        }
        return s;
    }

    @Task(name = "wf.record")
    public void record(String tag, Object value) {
        called("record");
        seen.add(tag + "=" + value);
    }

    @Task(name = "wf.onError")
    public void onError(String tag, TaskFailure failure) {
        called("onError");
        seen.add(tag + ":" + failure.task() + ":" + failure.error().message());
    }

    @Task(name = "wf.square")
    public int square(int n) {
        called("square");
        return n * n;
    }

    @Task(name = "wf.failOn", maxRetries = 0)
    public int failOn(int bad, int n) {
        called("failOn");
        if (n == bad) {
            throw new IllegalStateException("member " + n + " failed");
        }
        return n;
    }

    @Task(name = "wf.sum")
    public int sum(String tag, java.util.List<Integer> values) {
        called("sum");
        seen.add(tag + "=" + values);
        return values.stream().mapToInt(Integer::intValue).sum();
    }

    @Task(name = "wf.join")
    public String join(java.util.List<String> values) {
        called("join");
        return String.join(",", values);
    }

    @Task(name = "wf.ping")
    public void ping(String tag) {
        called("ping");
        seen.add(tag);
    }
}
