package io.taskq.extend;

import static io.taskq.TaskEvent.Kind.CLAIMED;
import static io.taskq.TaskEvent.Kind.DEAD_LETTERED;
import static io.taskq.TaskEvent.Kind.FAILED;
import static io.taskq.TaskEvent.Kind.HANDED_BACK;
import static io.taskq.TaskEvent.Kind.RETRIED;
import static io.taskq.TaskEvent.Kind.REVOKED;
import static io.taskq.TaskEvent.Kind.STARTED;
import static io.taskq.TaskEvent.Kind.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskEvent;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskRevokedException;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A listener sees every kind of task event on the in-memory broker, and one that throws changes nothing. */
class TaskListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MutableClock clock = new MutableClock();
    private final ExtensionTasks tasks = new ExtensionTasks();
    private final Recorder recorder = new Recorder();
    private Taskq taskq;

    private Taskq taskq(Taskq.Builder builder) {
        taskq = builder.clock(clock).tasks(tasks).build();
        return taskq;
    }

    private Taskq taskq() {
        return taskq(Taskq.builder().listener(recorder));
    }

    private static WorkerOptions.Builder options() {
        return WorkerOptions.builder().concurrency(2).claimWait(Duration.ofMillis(200))
                .shutdownGrace(Duration.ofSeconds(5)).abandonAfter(Duration.ofMillis(300));
    }

    @AfterEach
    void close() {
        tasks.release.countDown();
        if (taskq != null) {
            taskq.close();
        }
    }

    @Test
    void aSuccessIsClaimedStartedAndSucceeded() {
        clock.advance(Duration.ofDays(1));
        Worker w = taskq().startWorker(options().workerId("w-1").build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::ok, "a");
        assertEquals("ok a", h.get(WAIT));
        List<TaskEvent> events = recorder.await(h.id(), CLAIMED, STARTED, SUCCEEDED);
        for (TaskEvent e : events) {
            assertEquals("x.ok", e.taskName());
            assertEquals("default", e.queue());
            assertEquals(w.id(), e.workerId());
            assertEquals(1, e.attempt());
            assertTrue(e.timestamp().isAfter(Instant.now().plus(Duration.ofHours(23))), "the taskq's clock");
            assertNull(e.errorType());
        }
        assertNull(events.get(0).retries(), "not read at claim");
        assertNull(events.get(0).waitTime());
        assertEquals(0, events.get(1).retries());
        assertNotNull(events.get(1).waitTime());
        assertNull(events.get(1).runtime());
        assertNotNull(events.get(2).runtime());
        assertEquals(events.get(1).waitTime(), events.get(2).waitTime());
    }

    @Test
    void aFailureIsRetriedThenDeadLettered() {
        taskq().startWorker(options().build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::fails);
        assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        List<TaskEvent> events = recorder.await(h.id(), CLAIMED, STARTED, FAILED, RETRIED,
                CLAIMED, STARTED, FAILED, DEAD_LETTERED);
        TaskEvent failed = events.get(2);
        assertEquals("java.lang.IllegalStateException", failed.errorType());
        assertEquals("boom", failed.errorMessage());
        assertNotNull(failed.runtime());
        assertNotNull(events.get(3).retryAt());
        assertEquals(2, events.get(4).attempt());
        assertEquals(1, events.get(5).retries());
        TaskEvent dead = events.get(7);
        assertEquals("java.lang.IllegalStateException", dead.errorType());
        assertTrue(dead.reason().contains("max retries 1"), dead.reason());
    }

    @Test
    void aMessageThatCannotRunIsDeadLetteredWithoutStarting() {
        taskq().startWorker(options().build());
        TaskHandle<Object> h = taskq.submit("x.unknown");
        assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        List<TaskEvent> events = recorder.await(h.id(), CLAIMED, DEAD_LETTERED);
        assertEquals("taskq.UnknownTask", events.get(1).errorType());
        assertNull(events.get(1).runtime());
    }

    @Test
    void aRunningTaskRevokedIsRevoked() {
        taskq().startWorker(options().lease(Duration.ofSeconds(3)).leaseRenewInterval(Duration.ofMillis(100))
                .build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::block);
        recorder.await(h.id(), CLAIMED, STARTED);
        assertTrue(h.revoke());
        assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        TaskEvent revoked = recorder.await(h.id(), CLAIMED, STARTED, REVOKED).get(2);
        assertEquals("revoked", revoked.reason());
        assertNotNull(revoked.runtime());
    }

    @Test
    void aHeldTaskRevokedIsRevokedWithoutStarting() {
        taskq().startWorker(options().concurrency(1).prefetch(1).lease(Duration.ofSeconds(3))
                .leaseRenewInterval(Duration.ofMillis(100)).build());
        TaskHandle<String> running = taskq.submit(ExtensionTasks::block);
        recorder.await(running.id(), CLAIMED, STARTED);
        TaskHandle<String> held = taskq.submit(ExtensionTasks::ok, "held");
        recorder.await(held.id(), CLAIMED);
        assertTrue(held.revoke());
        assertThrows(TaskRevokedException.class, () -> held.get(WAIT));
        assertEquals("revoked", recorder.await(held.id(), CLAIMED, REVOKED).get(1).reason());
        assertEquals(0, tasks.count("ok"));
    }

    @Test
    void aTaskRevokedWhileQueuedNeverReachesTheWorker() {
        taskq();
        TaskHandle<String> h = taskq.submit(ExtensionTasks::ok, "never");
        assertTrue(h.revoke());
        taskq.startWorker(options().build());
        TaskHandle<String> next = taskq.submit(ExtensionTasks::ok, "next");
        assertEquals("ok next", next.get(WAIT));
        recorder.await(next.id(), CLAIMED, STARTED, SUCCEEDED);
        assertEquals(List.of(), recorder.kinds(h.id()), "the broker revoked it: no worker saw it");
    }

    @Test
    void anExpiredTaskIsRevokedWithoutStarting() {
        taskq();
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ExtensionTasks::ok, "late")
                .expiresIn(Duration.ofSeconds(30)));
        clock.advance(Duration.ofMinutes(1));
        taskq.startWorker(options().build());
        assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        assertEquals("expired", recorder.await(h.id(), CLAIMED, REVOKED).get(1).reason());
    }

    @Test
    void aTimeLimitFailsTheAttempt() {
        taskq().startWorker(options().build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::slow);
        assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        List<TaskEvent> events = recorder.await(h.id(), CLAIMED, STARTED, FAILED, DEAD_LETTERED);
        assertEquals("io.taskq.TaskTimeLimitExceededException", events.get(2).errorType());
    }

    @Test
    void aRunningTaskIsHandedBackWhenTheWorkerStops() {
        Worker w = taskq().startWorker(options().shutdownGrace(Duration.ofMillis(100)).build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::block);
        recorder.await(h.id(), CLAIMED, STARTED);
        w.close();
        TaskEvent back = recorder.await(h.id(), CLAIMED, STARTED, HANDED_BACK).get(2);
        assertNotNull(back.runtime());
        assertEquals(w.id(), back.workerId());
    }

    @Test
    void aListenerThatThrowsDisturbsNeitherTheTaskNorTheOtherListeners() {
        AtomicInteger thrown = new AtomicInteger();
        taskq(Taskq.builder()
                .listener(e -> {
                    thrown.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                })
                .listener(e -> {
                    throw new AssertionError("an Error too");
                })
                .listener(recorder));
        taskq.startWorker(options().build());
        TaskHandle<String> ok = taskq.submit(ExtensionTasks::ok, "still");
        assertEquals("ok still", ok.get(WAIT));
        recorder.await(ok.id(), CLAIMED, STARTED, SUCCEEDED);
        TaskHandle<String> fails = taskq.submit(ExtensionTasks::fails);
        assertThrows(TaskFailedException.class, () -> fails.get(WAIT));
        recorder.await(fails.id(), CLAIMED, STARTED, FAILED, RETRIED, CLAIMED, STARTED, FAILED, DEAD_LETTERED);
        Await.until(WAIT, "the thrower heard all 11 events", () -> thrown.get() == 11);
        assertEquals(1, tasks.count("ok"));
        assertEquals(2, tasks.count("fails"));
    }
}
