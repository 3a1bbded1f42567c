package io.taskq.examples;

import io.taskq.RetryTaskException;
import io.taskq.Task;
import io.taskq.TaskContext;
import io.taskq.TaskFailedException;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Retries with exponential backoff and jitter, a task asking for its own retry, and retries running out. */
public final class RetriesExample {
    private RetriesExample() {
    }

    /** Tasks that fail on purpose. */
    public static class Payments {
        private final AtomicInteger calls = new AtomicInteger();

        /** Fails twice with an I/O error: retried after 100 ms, then 200 ms (minus jitter). */
        @Task(name = "payments.charge", maxRetries = 4, backoff = "100ms", backoffMultiplier = 2,
                backoffMax = "5s", backoffJitter = 0.3, retryOn = IOException.class,
                noRetryOn = IllegalArgumentException.class)
        public String charge(String account, long cents) throws IOException {
            if (calls.incrementAndGet() <= 2) {
                throw new IOException("gateway timeout");
            }
            // The task id is the idempotency key for the side effect.
            return "charged " + cents + " to " + account + " (key " + TaskContext.current().orElseThrow().taskId()
                    + ")";
        }

        /** Asks for a retry itself, like Celery's self.retry(countdown=...). */
        @Task(name = "payments.poll", maxRetries = 3)
        public String poll(String transfer) {
            int attempt = TaskContext.current().orElseThrow().attempt();
            if (attempt < 3) {
                throw RetryTaskException.in(Duration.ofMillis(50), new IllegalStateException("not settled yet"));
            }
            return transfer + " settled on attempt " + attempt;
        }

        /** Always fails: after its two retries it ends in FAILURE and the dead-letter set. */
        @Task(name = "payments.refund", maxRetries = 2, backoff = "50ms")
        public String refund(String account) {
            throw new IllegalStateException("refunds are closed");
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(20);
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(new Payments()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            System.out.println(taskq.submit(Payments::charge, "acct-1", 1999L).get(wait));
            System.out.println(taskq.submit(Payments::poll, "tr-9").get(wait));
            try {
                taskq.submit(Payments::refund, "acct-1").get(wait);
            } catch (TaskFailedException e) {
                System.out.println("refund failed for good: " + e.error());
                System.out.println("dead letters: " + taskq.deadLetters("default", 10).size());
            }
        }
    }
}
