package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskContext;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** The tasks of the demo: ordinary methods on an ordinary object. */
public class DemoTasks {
    private final AtomicInteger flakyCalls = new AtomicInteger();
    /** Subjects of the e-mails in the order they were sent. */
    final java.util.Queue<String> sent = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A plain task with a result. */
    @Task(name = "demo.add")
    public int add(int a, int b) {
        return a + b;
    }

    /** Sends a (pretend) e-mail; runs on its own queue. */
    @Task(name = "demo.email", queue = "email", priority = 6)
    public String email(String to, String subject) {
        sent.add(subject);
        return "sent '" + subject + "' to " + to;
    }

    /** Fails twice with an I/O error, then succeeds: retried with exponential backoff. */
    @Task(name = "demo.flaky", maxRetries = 5, backoff = "200ms", backoffMultiplier = 2, retryOn = IOException.class)
    public String flaky() throws IOException {
        int attempt = TaskContext.current().orElseThrow().attempt();
        if (flakyCalls.incrementAndGet() <= 2) {
            throw new IOException("upstream unavailable (attempt " + attempt + ")");
        }
        return "succeeded on attempt " + attempt;
    }

    /** Never finishes in time: interrupted at its 500 ms time limit. */
    @Task(name = "demo.slow", timeLimit = "500ms")
    public String slow() throws InterruptedException {
        Thread.sleep(10_000);
        return "unreachable";
    }

    /** Always fails with a bug: no retries, so it fails at once and goes to the dead-letter set. */
    @Task(name = "demo.broken")
    public String broken(String input) {
        throw new IllegalStateException("cannot process " + input);
    }
}
