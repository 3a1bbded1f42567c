package io.taskq.extend;

import static io.taskq.TaskEvent.Kind.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskEvent;
import io.taskq.ResultTimeoutException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Steering a running worker: pausing a queue (Celery's cancel_consumer) leaves it to the other workers until it is
 * resumed; changing the concurrency under load (pool_grow / pool_shrink) changes how many tasks run at once without
 * losing or interrupting any. Run against each broker.
 */
public abstract class WorkerSteeringContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private final Recorder recorder = new Recorder();
    private Taskq taskq;

    /** A builder on the broker under test (a fresh namespace per test); the test adds tasks and listener. */
    protected abstract Taskq.Builder builder();

    @AfterEach
    void closeTaskq() {
        if (taskq != null) {
            taskq.close();
        }
    }

    private Taskq taskq() {
        taskq = builder().tasks(tasks).listener(recorder).build();
        return taskq;
    }

    private static WorkerOptions options(String id, String... queues) {
        return WorkerOptions.builder().workerId(id).queues(queues).concurrency(2).claimWait(Duration.ofMillis(100))
                .lease(Duration.ofSeconds(5)).leaseRenewInterval(Duration.ofMillis(200))
                .shutdownGrace(Duration.ofSeconds(2)).build();
    }

    private TaskHandle<String> submit(String queue, String arg) {
        return taskq.submit(TaskRequest.of(ExtensionTasks::ok, arg).queue(queue));
    }

    private String startedOn(TaskHandle<?> h) {
        return recorder.of(h.id()).stream().filter(e -> e.kind() == STARTED).map(TaskEvent::workerId)
                .findFirst().orElseThrow();
    }

    @Test
    void aPausedQueueIsLeftToTheOtherWorkersUntilResumed() {
        taskq();
        Worker both = taskq.startWorker(options("both", "pa", "pb"));
        Worker onlyA = taskq.startWorker(options("only-a", "pa"));
        assertTrue(both.pause("pa"));
        assertFalse(both.pause("pa"), "paused already");
        assertEquals(Set.of("pa"), both.pausedQueues());

        List<TaskHandle<String>> onA = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            onA.add(submit("pa", "a" + i));
        }
        TaskHandle<String> onB = submit("pb", "b");
        assertEquals("ok b", onB.get(WAIT), "the other queue goes on");
        for (int i = 0; i < onA.size(); i++) {
            assertEquals("ok a" + i, onA.get(i).get(WAIT));
            assertEquals("only-a", startedOn(onA.get(i)), () -> "the paused worker claimed nothing from pa: " + recorder.of(onA.get(0).id()));
        }
        assertEquals("both", startedOn(onB));

        onlyA.close();
        assertTrue(both.resume("pa"));
        assertFalse(both.resume("pa"), "not paused");
        assertEquals(Set.of(), both.pausedQueues());
        TaskHandle<String> after = submit("pa", "after");
        assertEquals("ok after", after.get(WAIT));
        assertEquals("both", startedOn(after));
    }

    @Test
    void aWorkerWithEveryQueuePausedClaimsNothingUntilOneResumes() {
        taskq();
        Worker w = taskq.startWorker(options("w", "pa"));
        assertTrue(w.pause("pa"));
        TaskHandle<String> waiting = submit("pa", "later");
        // several claim waits go by without a claim
        assertThrows(ResultTimeoutException.class, () -> waiting.get(Duration.ofMillis(500)));
        assertEquals(TaskState.PENDING, waiting.state(), "still queued");
        assertEquals(0, w.activeCount() + w.heldCount());
        assertTrue(w.isHealthy(), "paused on purpose is healthy");
        assertTrue(w.resume("pa"));
        assertEquals("ok later", waiting.get(WAIT));
    }

    @Test
    void theConcurrencyChangesUnderLoadAndNoTaskIsLostOrCut() {
        taskq();
        Worker w = taskq.startWorker(WorkerOptions.builder().workerId("w").queues("pa").concurrency(2).prefetch(0)
                .claimWait(Duration.ofMillis(100)).lease(Duration.ofSeconds(10))
                .leaseRenewInterval(Duration.ofMillis(200)).shutdownGrace(Duration.ofSeconds(2)).build());
        List<TaskHandle<String>> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(taskq.submit(TaskRequest.of(ExtensionTasks::gated, "g" + i).queue("pa")));
        }
        Await.until(WAIT, "2 running", () -> tasks.gatedRunning.get() == 2);
        assertEquals(2, w.concurrency());

        w.setConcurrency(6);
        assertEquals(6, w.concurrency());
        Await.until(WAIT, "6 running", () -> tasks.gatedRunning.get() == 6);

        w.setConcurrency(1);
        tasks.gate.release(5); // five of the six end; their slots go away, none passes on
        Await.until(WAIT, "1 running", () -> tasks.gatedRunning.get() == 1 && w.activeCount() == 1);
        tasks.resetPeak();
        for (int i = 0; i < 5; i++) {
            int done = (int) all.stream().filter(h -> h.state() == TaskState.SUCCESS).count();
            tasks.gate.release(1);
            Await.until(WAIT, "one more done", () -> all.stream().filter(h -> h.state() == TaskState.SUCCESS)
                    .count() > done);
        }
        assertEquals(1, tasks.gatedPeak.get(), "one at a time after the shrink");

        tasks.gate.release(1000);
        for (int i = 0; i < all.size(); i++) {
            assertEquals("g" + i, all.get(i).get(WAIT));
        }
        assertThrows(IllegalArgumentException.class, () -> w.setConcurrency(0));
    }

    @Test
    void onlyTheWorkersOwnQueuesCanBePaused() {
        taskq();
        Worker w = taskq.startWorker(options("w", "pa"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.pause("elsewhere"));
        assertTrue(e.getMessage().contains("elsewhere"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.resume("elsewhere"));
    }
}
