package io.taskq.contract;

import io.taskq.RetryTaskException;
import io.taskq.Task;
import io.taskq.TaskContext;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/** Tasks used by the contract suite; each test gets its own instance, so the counters are per test. */
public class ContractTasks {
    /** A record argument and result. */
    public record Order(String id, List<Line> lines, LocalDate date) {
    }

    /** A nested record. */
    public record Line(String sku, int quantity) {
    }

    /** A plain bean, the way many existing code bases model data. */
    public static class Customer {
        private String name;
        private java.time.Instant since;
        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public java.time.Instant getSince() {
            return since;
        }

        public void setSince(java.time.Instant since) {
            this.since = since;
        }
    }

    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Queue<String> order = new ConcurrentLinkedQueue<>();
    final Queue<TaskContext> contexts = new ConcurrentLinkedQueue<>();
    final Queue<String> mdcIds = new ConcurrentLinkedQueue<>();
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger interrupted = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    /** Latches of {@link #gate}, by name. */
    final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    /** Names of the gates entered, in order. */
    final Queue<String> gatesEntered = new ConcurrentLinkedQueue<>();

    /** The latch that lets {@link #gate} {@code name} return. */
    CountDownLatch gateOf(String name) {
        return gates.computeIfAbsent(name, k -> new CountDownLatch(1));
    }

    int count(String name) {
        return calls.computeIfAbsent(name, k -> new AtomicInteger()).get();
    }

    private int called(String name) {
        return calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    @Task(name = "t.add")
    public int add(int a, int b) {
        called("add");
        return a + b;
    }

    @Task(name = "t.total")
    public Map<String, Integer> total(Order order) {
        called("total");
        return Map.of(order.id(), order.lines().stream().mapToInt(Line::quantity).sum());
    }

    @Task(name = "t.echoOrder")
    public Order echoOrder(Order order) {
        return order;
    }

    @Task(name = "t.greet")
    public List<String> greet(List<Customer> customers, java.time.Duration within) {
        return customers.stream().map(c -> c.getName() + "@" + c.getSince() + "/" + within).toList();
    }

    @Task(name = "t.noop")
    public void noop() {
        called("noop");
    }

    @Task(name = "t.record")
    public String record(String label) {
        called("record");
        order.add(label);
        contexts.add(TaskContext.current().orElseThrow());
        mdcIds.add(String.valueOf(MDC.get("taskq.taskId")));
        return label;
    }

    @Task(name = "t.flaky", maxRetries = 3, backoff = "10ms", backoffJitter = 0)
    public String flaky(int failTimes) throws IOException {
        int n = called("flaky");
        if (n <= failTimes) {
            throw new IOException("flaky failure " + n);
        }
        return "ok after " + n;
    }

    @Task(name = "t.alwaysFails", maxRetries = 2, backoff = "10ms", backoffJitter = 0)
    public String alwaysFails() {
        called("alwaysFails");
        throw new IllegalStateException("boom");
    }

    @Task(name = "t.notRetryable", maxRetries = 5, backoff = "10ms", noRetryOn = IllegalArgumentException.class)
    public String notRetryable() {
        called("notRetryable");
        throw new IllegalArgumentException("bad input, do not retry");
    }

    @Task(name = "t.onlyIo", maxRetries = 5, backoff = "10ms", retryOn = IOException.class)
    public String onlyIo() {
        called("onlyIo");
        throw new UnsupportedOperationException("not an IOException");
    }

    @Task(name = "t.selfRetry", maxRetries = 2)
    public String selfRetry() {
        int n = called("selfRetry");
        if (n < 3) {
            throw RetryTaskException.in(Duration.ofMillis(10), new IOException("try again"));
        }
        return "done on " + n;
    }

    @Task(name = "t.sleepy", timeLimit = "200ms")
    public String sleepy() throws InterruptedException {
        called("sleepy");
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
        }
        return "never";
    }

    /** Cleans up and returns when its soft time limit interrupts it. */
    @Task(name = "t.softClean", softTimeLimit = "200ms")
    public String softClean() {
        called("softClean");
        try {
            Thread.sleep(60_000);
            return "never";
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            return TaskContext.current().orElseThrow().softTimeLimitExceeded() ? "cleaned up" : "interrupted";
        }
    }

    /** Lets the soft time limit's interrupt end it. */
    @Task(name = "t.softUncaught", softTimeLimit = "200ms")
    public String softUncaught() throws InterruptedException {
        called("softUncaught");
        Thread.sleep(60_000);
        return "never";
    }

    /** Goes on after its soft time limit, until the hard one ends it. */
    @Task(name = "t.softIgnored", softTimeLimit = "100ms", timeLimit = "600ms")
    public String softIgnored() throws InterruptedException {
        called("softIgnored");
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
        }
        Thread.sleep(60_000);
        return "never";
    }

    @Task(name = "t.stubborn", timeLimit = "100ms")
    public String stubborn() {
        called("stubborn");
        // Ignores interrupts: spins until the test releases it.
        while (release.getCount() > 0) {
            Thread.onSpinWait();
            if (Thread.interrupted()) {
                interrupted.incrementAndGet();
            }
        }
        return "finally";
    }

    @Task(name = "t.block")
    public String block() throws InterruptedException {
        called("block");
        running.incrementAndGet();
        try {
            release.await();
            return "released";
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
        } finally {
            running.decrementAndGet();
        }
    }

    /** Waits until the test opens its own gate, so that tests decide which slot frees first. */
    @Task(name = "t.gate")
    public String gate(String name) throws InterruptedException {
        called("gate");
        gatesEntered.add(name);
        gateOf(name).await();
        return name;
    }

    /** Reports its progress step by step, then waits at gate "progress". */
    @Task(name = "t.progress")
    public String progress(int steps) throws InterruptedException {
        called("progress");
        TaskContext ctx = TaskContext.current().orElseThrow();
        for (int i = 1; i <= steps; i++) {
            if (!ctx.updateState("PROGRESS", Map.of("done", i, "total", steps))) {
                return "not stored";
            }
        }
        try {
            ctx.updateState("SUCCESS", 1);
            return "taskq's own state was taken";
        } catch (IllegalArgumentException expected) {
            order.add("refused: " + expected.getMessage());
        }
        gateOf("progress").await();
        return "done " + steps;
    }

    @Task(name = "t.other", queue = "other", priority = 7)
    public String other(String s) {
        called("other");
        order.add("other:" + s);
        return s;
    }
}
