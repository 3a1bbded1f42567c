package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Queues route tasks to the workers that consume them; priorities order a queue; weights share a worker. */
public final class PrioritiesAndRoutingExample {
    private PrioritiesAndRoutingExample() {
    }

    /** Work of two kinds, on two queues. */
    public static class Work {
        final Queue<String> ran = new ConcurrentLinkedQueue<>();

        /** Interactive work: its own queue, high priority by default. */
        @Task(name = "work.interactive", queue = "interactive", priority = 8)
        public void interactive(String what) {
            ran.add("interactive:" + what);
        }

        /** Bulk work. */
        @Task(name = "work.bulk", queue = "bulk")
        public void bulk(String what) {
            ran.add("bulk:" + what);
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Work work = new Work();
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(work).build()) {
            List<TaskHandle<?>> handles = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                handles.add(taskq.submit(Work::bulk, "b" + i));
                handles.add(taskq.submit(TaskRequest.of(Work::bulk, "urgent" + i).priority(9)));
            }
            handles.add(taskq.submit(Work::interactive, "click"));
            handles.add(taskq.submit(TaskRequest.of(Work::interactive, "rerouted").queue("bulk")));
            // One worker, both queues, three claims from "interactive" for each one from "bulk" on average.
            taskq.startWorker(WorkerOptions.builder().concurrency(1)
                    .queue("interactive", 3).queue("bulk", 1)
                    .queueOrder(WorkerOptions.QueueOrder.WEIGHTED).build());
            handles.forEach(h -> h.get(Duration.ofSeconds(10)));
            System.out.println("ran: " + work.ran);
        }
    }
}
