package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.TaskFailedException;
import io.taskq.Worker;
import io.taskq.WorkerInfo;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.spi.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker registry ({@code Taskq.workers()}) over a broker's {@link WorkerRegistry}: every worker is listed with
 * its names, queues and counts as of its last heartbeat; steering shows; close removes a worker at once and one
 * whose heartbeats stop drops out after their time to live. Run against each broker.
 */
public abstract class WorkerRegistryContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration BEAT = Duration.ofMillis(150);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private Taskq taskq;

    /** A builder on the broker under test (a fresh namespace per test); the test adds tasks and the name. */
    protected abstract Taskq.Builder builder();

    @AfterEach
    void closeTaskq() {
        tasks.gate.release(1000);
        if (taskq != null) {
            taskq.close();
        }
    }

    private Taskq taskq() {
        taskq = builder().tasks(tasks).applicationName("shop").build();
        return taskq;
    }

    private static WorkerOptions.Builder options(String id, String... queues) {
        return WorkerOptions.builder().workerId(id).queues(queues).concurrency(2).claimWait(Duration.ofMillis(100))
                .lease(Duration.ofSeconds(5)).leaseRenewInterval(Duration.ofMillis(200))
                .shutdownGrace(Duration.ofSeconds(2)).heartbeatInterval(BEAT);
    }

    /** The worker's entry in the listing now, or null. */
    private WorkerInfo listed(String id) {
        return taskq.workers().stream().filter(w -> w.id().equals(id)).findFirst().orElse(null);
    }

    private WorkerInfo awaitListed(String id, String what, java.util.function.Predicate<WorkerInfo> condition) {
        return Await.value(WAIT, id + ": " + what, () -> {
            WorkerInfo w = listed(id);
            return w != null && condition.test(w) ? w : null;
        });
    }

    @Test
    void twoWorkersAreListedWithTheirFieldsInOrder() {
        taskq();
        Instant before = Instant.now().minusSeconds(1);
        taskq.startWorker(options("reg-b", "qa", "qb").nodeName("emails@test").concurrency(3).build());
        taskq.startWorker(options("reg-a", "qa").nodeName("emails@test").build());
        Await.until(WAIT, "both listed", () -> taskq.workers().size() == 2);

        List<WorkerInfo> all = taskq.workers();
        assertEquals(List.of("reg-a", "reg-b"), all.stream().map(WorkerInfo::id).toList(), "by node name, then id");
        WorkerInfo b = all.get(1);
        assertEquals("emails@test", b.nodeName());
        assertEquals("shop", b.application());
        assertTrue(b.version().matches("\\d+\\.\\d+.*"), b.version());
        assertEquals(ProcessHandle.current().pid(), b.pid());
        assertFalse(b.host().isBlank());
        assertEquals(List.of("qa", "qb"), b.queues());
        assertEquals(Set.of(), b.pausedQueues());
        assertEquals(3, b.concurrency());
        assertEquals(0, b.active() + b.held());
        assertEquals(0, b.processed());
        assertTrue(b.healthy());
        assertEquals(BEAT, b.heartbeatInterval());
        assertTrue(b.startedAt().isAfter(before) && !b.lastHeartbeat().isBefore(b.startedAt()), b.toString());
    }

    @Test
    void theDefaultNodeNameIsTheProcessAndTheCountsMove() {
        taskq();
        Worker w = taskq.startWorker(options("reg-c", "qc").build());
        assertEquals(ProcessHandle.current().pid() + "@", w.info().nodeName().substring(0,
                w.info().nodeName().indexOf('@') + 1));
        for (int i = 0; i < 3; i++) {
            assertEquals("ok " + i, taskq.submit(TaskRequest.of(ExtensionTasks::ok, "" + i).queue("qc")).get(WAIT));
        }
        TaskHandle<String> fails = taskq.submit(TaskRequest.of(ExtensionTasks::fails).queue("qc"));
        assertThrows(TaskFailedException.class, () -> fails.get(WAIT));
        // one retry, then the final failure: two failed attempts
        awaitListed("reg-c", "counts", i -> i.processed() == 5);
        WorkerInfo counted = listed("reg-c");
        assertEquals(3, counted.succeeded());
        assertEquals(2, counted.failed());

        TaskHandle<String> gated = taskq.submit(TaskRequest.of(ExtensionTasks::gated, "g").queue("qc"));
        awaitListed("reg-c", "one running", i -> i.active() == 1);
        tasks.gate.release(1);
        assertEquals("g", gated.get(WAIT));
        awaitListed("reg-c", "none running, six processed", i -> i.active() == 0 && i.processed() == 6);
    }

    @Test
    void pausedQueuesAndTheConcurrencyShow() {
        taskq();
        Worker w = taskq.startWorker(options("reg-d", "qa", "qb").build());
        awaitListed("reg-d", "listed", i -> true);
        assertTrue(w.pause("qb"));
        w.setConcurrency(5);
        WorkerInfo i = awaitListed("reg-d", "paused qb, concurrency 5",
                x -> x.pausedQueues().equals(Set.of("qb")) && x.concurrency() == 5);
        assertEquals(List.of("qa"), i.activeQueues());
        assertTrue(w.resume("qb"));
        awaitListed("reg-d", "resumed", x -> x.pausedQueues().isEmpty());
    }

    @Test
    void aClosedWorkerIsGoneAtOnce() {
        taskq();
        Worker w = taskq.startWorker(options("reg-e", "qa").build());
        Worker other = taskq.startWorker(options("reg-f", "qa").build());
        awaitListed("reg-e", "listed", i -> true);
        awaitListed("reg-f", "listed", i -> true);
        w.close();
        assertNull(listed("reg-e"), "removed by close");
        assertEquals(List.of("reg-f"), taskq.workers().stream().map(WorkerInfo::id).toList());
        other.close();
        assertEquals(List.of(), taskq.workers());
    }

    @Test
    void aWorkerWhoseHeartbeatsStopDropsOutAfterItsTimeToLive() {
        taskq();
        Worker w = taskq.startWorker(options("reg-g", "qa").build());
        WorkerInfo live = awaitListed("reg-g", "listed", i -> true);
        WorkerRegistry registry = taskq.broker().workerRegistry().orElseThrow();
        // A worker that heartbeat once with a short time to live and then never again (killed, frozen).
        WorkerInfo ghost = new WorkerInfo("ghost", "ghost@elsewhere", null, live.version(), "elsewhere", 1,
                List.of("qa"), Set.of(), 1, 0, 0, 0, 0, 0, true, live.startedAt(), live.lastHeartbeat(),
                Duration.ofMillis(100));
        registry.heartbeat(ghost, Duration.ofMillis(300));
        assertEquals(ghost, listed("ghost"), "listed as sent");
        Await.until(WAIT, "the ghost drops out", () -> listed("ghost") == null);
        assertEquals(List.of("reg-g"), taskq.workers().stream().map(WorkerInfo::id).toList(), "the live one stays");
        registry.remove("nobody"); // nothing to remove: no failure
        w.close();
    }
}
