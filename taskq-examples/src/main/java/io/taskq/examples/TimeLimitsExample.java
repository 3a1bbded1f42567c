package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskFailedException;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import java.time.Duration;

/**
 * Time limits: a task that honours interrupts stops at its limit; one that ignores them is abandoned after
 * {@code abandonAfter} and its slot is reused.
 */
public final class TimeLimitsExample {
    private TimeLimitsExample() {
    }

    /** Slow work. */
    public static class Slow {
        volatile boolean stop;

        /** Sleeps, which is interruptible. */
        @Task(name = "slow.sleep", timeLimit = "300ms")
        public void sleep() throws InterruptedException {
            Thread.sleep(60_000);
        }

        /** Spins and ignores interrupts, like code stuck in a tight loop or a non-interruptible call. */
        @Task(name = "slow.spin", timeLimit = "300ms")
        public void spin() {
            while (!stop) {
                Thread.onSpinWait();
            }
        }

        /** Quick work. */
        @Task(name = "slow.quick")
        public String quick() {
            return "quick work still runs";
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(20);
        Slow slow = new Slow();
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(slow).build()) {
            Worker worker = taskq.startWorker(WorkerOptions.builder().concurrency(1)
                    .abandonAfter(Duration.ofMillis(500)).build());
            try {
                taskq.submit(Slow::sleep).get(wait);
            } catch (TaskFailedException e) {
                System.out.println("sleep: " + e.error());
            }
            try {
                taskq.submit(TaskRequest.of(Slow::spin).timeLimit(Duration.ofMillis(200))).get(wait);
            } catch (TaskFailedException e) {
                System.out.println("spin: " + e.error() + "; abandoned threads: " + worker.abandonedCount());
            }
            System.out.println(taskq.submit(Slow::quick).get(wait));
            slow.stop = true;
        }
    }
}
