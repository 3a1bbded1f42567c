package io.taskq.extend;

import static io.taskq.TaskEvent.Kind.CLAIMED;
import static io.taskq.TaskEvent.Kind.DEAD_LETTERED;
import static io.taskq.TaskEvent.Kind.EXPIRED;
import static io.taskq.TaskEvent.Kind.FAILED;
import static io.taskq.TaskEvent.Kind.HANDED_BACK;
import static io.taskq.TaskEvent.Kind.RETRIED;
import static io.taskq.TaskEvent.Kind.SENT;
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
        tasks.taskq = taskq;
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
        List<TaskEvent> events = recorder.await(h.id(), SENT, CLAIMED, STARTED, SUCCEEDED);
        for (TaskEvent e : events) {
            assertEquals("x.ok", e.taskName());
            assertEquals("default", e.queue());
            assertEquals(e.kind() == SENT ? null : w.id(), e.workerId());
            assertEquals(e.kind() == SENT ? 0 : 1, e.attempt());
            assertTrue(e.timestamp().isAfter(Instant.now().plus(Duration.ofHours(23))), "the taskq's clock");
            assertNull(e.errorType());
        }
        TaskEvent sent = events.get(0);
        assertEquals(sent.timestamp(), sent.sentAt());
        assertEquals(h.id(), sent.rootId());
        assertNull(sent.parentId());
        assertEquals(sent.sentAt(), events.get(2).sentAt(), "the start reads the send time from the message");
        assertNull(events.get(1).retries(), "not read at claim");
        assertNull(events.get(1).waitTime());
        assertEquals(0, events.get(2).retries());
        assertNotNull(events.get(2).waitTime());
        assertNull(events.get(2).runtime());
        assertNotNull(events.get(3).runtime());
        assertEquals(events.get(2).waitTime(), events.get(3).waitTime());
    }

    @Test
    void theWaitRunsFromTheSendOrTheLaterEtaToTheStart() {
        taskq();
        TaskHandle<String> now = taskq.submit(ExtensionTasks::ok, "now");
        TaskHandle<String> later = taskq.submit(TaskRequest.of(ExtensionTasks::ok, "later")
                .countdown(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(3));
        taskq.startWorker(options().build());
        assertEquals("ok now", now.get(WAIT));
        assertEquals("ok later", later.get(WAIT));
        // the clock moves on by itself too: each wait is the clock's jump plus the little the run took
        Duration waited = recorder.await(now.id(), SENT, CLAIMED, STARTED, SUCCEEDED).get(2).waitTime();
        assertTrue(waited.compareTo(Duration.ofMinutes(3)) >= 0 && waited.compareTo(Duration.ofMinutes(3).plus(WAIT)) < 0,
                waited.toString());
        TaskEvent started = recorder.await(later.id(), SENT, CLAIMED, STARTED, SUCCEEDED).get(2);
        assertTrue(started.waitTime().compareTo(Duration.ofMinutes(2)) >= 0
                && started.waitTime().compareTo(Duration.ofMinutes(2).plus(WAIT)) < 0, "from the ETA, not the send: "
                + started.waitTime());
        assertEquals(started.sentAt().plus(Duration.ofMinutes(1)), started.eta());
    }

    @Test
    void aTaskSubmittedByATaskNamesItsParentAndRoot() {
        taskq().startWorker(options().build());
        TaskHandle<String> parent = taskq.submit(ExtensionTasks::spawn, "c");
        String childId = parent.get(WAIT);
        TaskEvent childSent = recorder.await(childId, SENT, CLAIMED, STARTED, SUCCEEDED).get(0);
        assertEquals(parent.id(), childSent.parentId());
        assertEquals(parent.id(), childSent.rootId());
        assertEquals(parent.id(), recorder.of(childId).get(2).parentId(), "and so does its start");
    }

    @Test
    void aFailureIsRetriedThenDeadLettered() {
        taskq().startWorker(options().build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::fails);
        assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        List<TaskEvent> events = recorder.await(h.id(), SENT, CLAIMED, STARTED, FAILED, RETRIED,
                CLAIMED, STARTED, FAILED, DEAD_LETTERED);
        TaskEvent failed = events.get(3);
        assertEquals("java.lang.IllegalStateException", failed.errorType());
        assertEquals("boom", failed.errorMessage());
        assertNotNull(failed.runtime());
        assertNotNull(events.get(4).retryAt());
        assertEquals(2, events.get(5).attempt());
        assertEquals(1, events.get(6).retries());
        TaskEvent dead = events.get(8);
        assertEquals("java.lang.IllegalStateException", dead.errorType());
        assertTrue(dead.reason().contains("max retries 1"), dead.reason());
    }

    @Test
    void aMessageThatCannotRunIsDeadLetteredWithoutStarting() {
        taskq().startWorker(options().build());
        TaskHandle<Object> h = taskq.submit("x.unknown");
        assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        List<TaskEvent> events = recorder.await(h.id(), SENT, CLAIMED, DEAD_LETTERED);
        assertEquals("taskq.UnknownTask", events.get(2).errorType());
        assertNull(events.get(2).runtime());
    }

    @Test
    void aRunningTaskRevokedIsRevoked() {
        taskq().startWorker(options().lease(Duration.ofSeconds(3)).leaseRenewInterval(Duration.ofMillis(100))
                .build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::block);
        recorder.await(h.id(), SENT, CLAIMED, STARTED);
        assertTrue(h.revoke());
        assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        TaskEvent revoked = recorder.await(h.id(), SENT, CLAIMED, STARTED, REVOKED).get(3);
        assertEquals("revoked", revoked.reason());
        assertNotNull(revoked.runtime());
    }

    @Test
    void aHeldTaskRevokedIsRevokedWithoutStarting() {
        taskq().startWorker(options().concurrency(1).prefetch(1).lease(Duration.ofSeconds(3))
                .leaseRenewInterval(Duration.ofMillis(100)).build());
        TaskHandle<String> running = taskq.submit(ExtensionTasks::block);
        recorder.await(running.id(), SENT, CLAIMED, STARTED);
        TaskHandle<String> held = taskq.submit(ExtensionTasks::ok, "held");
        recorder.await(held.id(), SENT, CLAIMED);
        assertTrue(held.revoke());
        assertThrows(TaskRevokedException.class, () -> held.get(WAIT));
        assertEquals("revoked", recorder.await(held.id(), SENT, CLAIMED, REVOKED).get(2).reason());
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
        recorder.await(next.id(), SENT, CLAIMED, STARTED, SUCCEEDED);
        assertEquals(List.of(SENT), recorder.kinds(h.id()), "the broker revoked it: no worker saw it");
    }

    @Test
    void anExpiredTaskExpiresWithoutStarting() {
        taskq();
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ExtensionTasks::ok, "late")
                .expiresIn(Duration.ofSeconds(30)));
        clock.advance(Duration.ofMinutes(1));
        taskq.startWorker(options().build());
        assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        assertEquals("expired", recorder.await(h.id(), SENT, CLAIMED, EXPIRED).get(2).reason());
    }

    @Test
    void aTimeLimitFailsTheAttempt() {
        taskq().startWorker(options().build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::slow);
        assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        List<TaskEvent> events = recorder.await(h.id(), SENT, CLAIMED, STARTED, FAILED, DEAD_LETTERED);
        assertEquals("io.taskq.TaskTimeLimitExceededException", events.get(3).errorType());
    }

    @Test
    void aRunningTaskIsHandedBackWhenTheWorkerStops() {
        Worker w = taskq().startWorker(options().shutdownGrace(Duration.ofMillis(100)).build());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::block);
        recorder.await(h.id(), SENT, CLAIMED, STARTED);
        w.close();
        TaskEvent back = recorder.await(h.id(), SENT, CLAIMED, STARTED, HANDED_BACK).get(3);
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
        recorder.await(ok.id(), SENT, CLAIMED, STARTED, SUCCEEDED);
        TaskHandle<String> fails = taskq.submit(ExtensionTasks::fails);
        assertThrows(TaskFailedException.class, () -> fails.get(WAIT));
        recorder.await(fails.id(), SENT, CLAIMED, STARTED, FAILED, RETRIED, CLAIMED, STARTED, FAILED, DEAD_LETTERED);
        Await.until(WAIT, "the thrower heard all 13 events", () -> thrown.get() == 13);
        assertEquals(1, tasks.count("ok"));
        assertEquals(2, tasks.count("fails"));
    }
}
