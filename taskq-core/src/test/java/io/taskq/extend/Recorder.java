package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.TaskEvent;
import io.taskq.TaskListener;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/** A listener that keeps every event, for tests to wait on. */
public final class Recorder implements TaskListener {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Queue<TaskEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(TaskEvent event) {
        events.add(event);
    }

    /**
     * The events of one task, in order, its SENT first: the submitting thread tells SENT after the broker took the
     * task, so a worker in the same application may tell CLAIMED before it.
     */
    public List<TaskEvent> of(String taskId) {
        List<TaskEvent> mine = events.stream().filter(e -> e.taskId().equals(taskId)).toList();
        return Stream.concat(mine.stream().filter(e -> e.kind() == TaskEvent.Kind.SENT),
                mine.stream().filter(e -> e.kind() != TaskEvent.Kind.SENT)).toList();
    }

    /** The kinds of one task's events, in order. */
    public List<TaskEvent.Kind> kinds(String taskId) {
        return of(taskId).stream().map(TaskEvent::kind).toList();
    }

    /** Waits until the task's events are exactly {@code expected} and returns them. */
    public List<TaskEvent> await(String taskId, TaskEvent.Kind... expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!kinds(taskId).equals(List.of(expected)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        assertEquals(List.of(expected), kinds(taskId), "events of " + taskId);
        return of(taskId);
    }
}
