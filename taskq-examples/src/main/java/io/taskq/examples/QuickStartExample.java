package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;

/** The smallest complete program: one task, one worker, one result. */
public final class QuickStartExample {
    private QuickStartExample() {
    }

    /** Tasks are methods of ordinary objects. */
    public static class Greetings {
        /** Returns a greeting. */
        @Task(name = "greetings.hello")
        public String hello(String name) {
            return "Hello, " + name + "!";
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(new Greetings()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            TaskHandle<String> h = taskq.submit(Greetings::hello, "Ada");
            System.out.println(h.get(Duration.ofSeconds(10)));
        }
    }
}
