package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskRevokedException;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Revoking a delayed task, a running task, and a task id before it is even submitted. */
public final class RevokeExample {
    private RevokeExample() {
    }

    /** Long-running exports. */
    public static class Exports {
        final CountDownLatch started = new CountDownLatch(1);

        /** Runs until interrupted. */
        @Task(name = "exports.run")
        public String run(String name) throws InterruptedException {
            started.countDown();
            Thread.sleep(60_000);
            return name;
        }
    }

    /** Runs the example. */
    public static void main(String[] args) throws InterruptedException {
        Duration wait = Duration.ofSeconds(20);
        Exports exports = new Exports();
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(exports).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).lease(Duration.ofSeconds(3)).build());

            TaskHandle<String> delayed = taskq.submit(TaskRequest.of(Exports::run, "tomorrow")
                    .countdown(Duration.ofDays(1)));
            delayed.revoke();
            report("delayed", delayed, wait);

            TaskHandle<String> running = taskq.submit(Exports::run, "now");
            exports.started.await();
            running.revoke();
            report("running", running, wait);

            TaskHandle<Object> future = taskq.handle("default", "export-42");
            future.revoke();
            taskq.submit(TaskRequest.of(Exports::run, "later").id("export-42"));
            report("revoked before submit", future, wait);
        }
    }

    private static void report(String what, TaskHandle<?> h, Duration wait) {
        try {
            h.get(wait);
        } catch (TaskRevokedException e) {
            System.out.println(what + ": " + h.state() + " (" + e.reason() + ")");
        }
    }
}
