package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskContext;
import io.taskq.TaskHandle;
import io.taskq.TaskProgress;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Progress, custom states and the soft time limit (docs/workflows.md): a task reports how far it got with
 * {@code updateState}, which its handle reads while it runs; a task past its soft time limit is told (a flag and one
 * interrupt) and returns what it has before the hard limit would end it.
 */
public final class ProgressExample {
    private ProgressExample() {
    }

    /** Long work in steps. */
    public static class Conversions {
        /** Converts the files one by one and reports each step. */
        @Task(name = "files.convert")
        public int convert(int files) throws InterruptedException {
            TaskContext ctx = TaskContext.current().orElseThrow();
            for (int i = 0; i < files; i++) {
                Thread.sleep(100); // converting one file
                ctx.updateState("PROGRESS", Map.of("done", i + 1, "total", files));
            }
            return files;
        }

        /** Indexes until its soft limit says to stop, then returns what it indexed: the hard limit never ends it. */
        @Task(name = "files.index", softTimeLimit = "300ms", timeLimit = "10s")
        public int index() {
            TaskContext ctx = TaskContext.current().orElseThrow();
            int done = 0;
            while (!ctx.softTimeLimitExceeded()) {
                try {
                    Thread.sleep(20); // indexing one document
                    done++;
                } catch (InterruptedException e) {
                    break; // the soft limit's one interrupt: stop between documents
                }
            }
            return done;
        }
    }

    /** Runs the example. */
    public static void main(String[] args) throws InterruptedException {
        Duration wait = Duration.ofSeconds(20);
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(new Conversions()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            TaskHandle<Integer> convert = taskq.submit(Conversions::convert, 20);
            Instant deadline = Instant.now().plus(wait);
            Optional<TaskProgress> seen = Optional.empty();
            while (seen.isEmpty() && Instant.now().isBefore(deadline)) {
                seen = convert.progress(); // polled as a dashboard would; empty until the first report
                Thread.sleep(50);
            }
            seen.ifPresent(p -> System.out.println("convert " + p.state() + " " + p.meta(Map.class).get("done")
                    + " of " + p.meta(Map.class).get("total")));
            System.out.println("converted " + convert.get(wait) + " files");

            int indexed = taskq.submit(Conversions::index).get(wait);
            System.out.println("indexed " + (indexed > 0 ? "some" : "no") + " documents before the soft limit, then"
                    + " returned");
        }
    }
}
