package io.taskq.examples;

import io.taskq.DeadLetter;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.TaskqException;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's demo: registers tasks, submits some with a countdown and priorities, one that fails and is
 * retried, one that times out and one that fails for good, prints the outcomes and exits 0. Runs on the embedded
 * in-memory broker: no Redis needed.
 */
public final class Demo {
    private Demo() {
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(30);
        DemoTasks tasks = new DemoTasks();
        try (Taskq taskq = Taskq.builder().tasks(tasks).build()) {
            // Queued before any worker runs, so the priorities decide the order.
            List<TaskHandle<?>> batch = new ArrayList<>();
            for (int p : new int[] {1, 9, 5}) {
                batch.add(taskq.submit(TaskRequest.of(DemoTasks::email, "team@example.com", "priority " + p)
                        .priority(p)));
            }
            taskq.startWorker(WorkerOptions.builder().concurrency(4).queues("default").build());
            taskq.startWorker(WorkerOptions.builder().concurrency(1).queues("email").build());
            for (TaskHandle<?> h : batch) {
                h.get(wait);
            }
            print("emails by priority ran in order", tasks.sent);

            TaskHandle<Integer> sum = taskq.submit(DemoTasks::add, 2, 3);
            print("add(2, 3)", sum.get(wait));

            Instant submitted = Instant.now();
            TaskHandle<String> later = taskq.submit(TaskRequest.of(DemoTasks::email, "ada@example.com", "Hello")
                    .countdown(Duration.ofSeconds(1)));
            String sent = later.get(wait);
            print("email with 1 s countdown", sent + " after "
                    + Duration.between(submitted, Instant.now()).toMillis() + " ms");

            TaskHandle<String> flaky = taskq.submit(DemoTasks::flaky);
            print("flaky (retried with backoff)", flaky.get(wait) + ", retries " + flaky.info().retries());

            TaskHandle<String> slow = taskq.submit(DemoTasks::slow);
            try {
                slow.get(wait);
            } catch (TaskFailedException e) {
                print("slow (time limit)", e.error().type() + ": " + e.error().message());
            }

            TaskHandle<String> broken = taskq.submit(DemoTasks::broken, "order-17");
            try {
                broken.get(wait);
            } catch (TaskFailedException e) {
                print("broken (state " + broken.state() + ")", e.error());
            }
            for (DeadLetter d : taskq.deadLetters("default", 10)) {
                print("dead letter " + d.id(), d.reason());
            }
        } catch (TaskqException e) {
            System.err.println("demo failed: " + e);
            System.exit(1);
        }
        System.out.println("demo finished");
    }

    private static void print(String what, Object outcome) {
        System.out.printf("%-34s -> %s%n", what, outcome);
    }
}
