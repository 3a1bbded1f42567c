package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskRevokedException;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.time.Instant;

/** Countdown and ETA delay a task; expiry drops a task that could not start in time. */
public final class CountdownAndExpiryExample {
    private CountdownAndExpiryExample() {
    }

    /** A reminder service. */
    public static class Reminders {
        /** Sends a reminder. */
        @Task(name = "reminders.send")
        public String send(String text) {
            return "reminded: " + text + " at " + Instant.now();
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(20);
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(new Reminders()).build()) {
            // Submitted before any worker runs: the expiring one cannot start within its 200 ms.
            TaskHandle<String> expiring = taskq.submit(TaskRequest.of(Reminders::send, "stale")
                    .expiresIn(Duration.ofMillis(200)));
            TaskHandle<String> countdown = taskq.submit(TaskRequest.of(Reminders::send, "in a second")
                    .countdown(Duration.ofSeconds(1)));
            TaskHandle<String> eta = taskq.submit(TaskRequest.of(Reminders::send, "at a given instant")
                    .eta(Instant.now().plusMillis(1500)));
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            System.out.println("submitted at " + Instant.now());
            System.out.println(countdown.get(wait));
            System.out.println(eta.get(wait));
            try {
                expiring.get(wait);
            } catch (TaskRevokedException e) {
                System.out.println("not run: " + e.reason());
            }
        }
    }
}
