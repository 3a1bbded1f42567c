package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every line a task logs carries its id, name, attempt and worker in the SLF4J MDC. */
class LoggingContextTest {
    private final ExtensionTasks tasks = new ExtensionTasks();
    private Taskq taskq;

    @AfterEach
    void close() {
        if (taskq != null) {
            taskq.close();
        }
    }

    @Test
    void theMdcNamesTheTaskTheAttemptAndTheWorker() {
        taskq = Taskq.builder().tasks(tasks).build();
        Worker worker = taskq.startWorker(WorkerOptions.builder().concurrency(1).claimWait(Duration.ofMillis(200))
                .build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::logs);
        assertEquals("logged", h.get(Duration.ofSeconds(20)));
        Map<String, String> common = Map.of("taskq.taskId", h.id(), "taskq.taskName", "x.logs",
                "taskq.worker", worker.id());
        List<Map<String, String>> runs = List.copyOf(tasks.mdc);
        assertEquals(2, runs.size());
        for (int i = 0; i < runs.size(); i++) {
            Map<String, String> expected = new java.util.HashMap<>(common);
            expected.put("taskq.attempt", Integer.toString(i + 1));
            assertEquals(expected, runs.get(i), "attempt " + (i + 1));
        }
    }
}
