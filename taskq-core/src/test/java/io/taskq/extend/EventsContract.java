package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Events;
import io.taskq.Signature;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.spi.Broker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event stream ({@link Taskq#events()}): every transition of a task, read page by page from a position or followed
 * live, and an application that does not publish still reading what others publish. Run against each broker.
 */
public abstract class EventsContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private Taskq taskq;

    /** A new broker on a namespace of its own (so that its stream holds only this test's events). */
    protected abstract Broker newBroker();

    /** A builder on a new broker ({@link #newBroker()}), closed with its taskq. */
    protected Taskq.Builder builder() {
        return Taskq.builder().broker(newBroker()).closeBrokerOnClose(true);
    }

    @AfterEach
    void close() {
        tasks.release.countDown();
        if (taskq != null) {
            taskq.close();
        }
    }

    private static WorkerOptions options() {
        return WorkerOptions.builder().workerId("w-1").concurrency(2).claimWait(Duration.ofMillis(100)).build();
    }

    private static List<Event> ofTask(List<Event> events, String id) {
        return events.stream().filter(e -> id.equals(e.field(Event.F_ID))).toList();
    }

    private static List<Event> all(Events events) {
        return events.since(null, Events.MAX_PAGE).events();
    }

    @Test
    void aWorkerTellsItIsOnlineItsHeartbeatsAndThatItIsOffline() {
        taskq = builder().tasks(tasks).build();
        Worker w = taskq.startWorker(WorkerOptions.builder().workerId("w-beat").nodeName("node-1").queues("a", "b")
                .concurrency(3).claimWait(Duration.ofMillis(100)).heartbeatInterval(Duration.ofMillis(100)).build());
        Await.until(WAIT, "online and two heartbeats", () -> ofWorker(all(taskq.events()), "w-beat").stream()
                .filter(e -> e.type().equals(Event.WORKER_HEARTBEAT)).count() >= 2);
        Event online = ofWorker(all(taskq.events()), "w-beat").get(0);
        assertEquals(Event.WORKER_ONLINE, online.type());
        assertEquals("node-1", online.field("node"));
        assertEquals("a,b", online.field("queues"));
        assertEquals("3", online.field("concurrency"));
        assertEquals("100", online.field("freq_ms"));
        w.close();
        Await.until(WAIT, "offline", () -> ofWorker(all(taskq.events()), "w-beat").stream()
                .anyMatch(e -> e.type().equals(Event.WORKER_OFFLINE)));
        List<Event> mine = ofWorker(all(taskq.events()), "w-beat");
        assertEquals(Event.WORKER_OFFLINE, mine.get(mine.size() - 1).type(), "offline last: " + mine);
    }

    private static List<Event> ofWorker(List<Event> events, String workerId) {
        return events.stream().filter(e -> e.type().startsWith("worker-") && workerId.equals(e.field(Event.F_WORKER)))
                .toList();
    }

    @Test
    void everyTransitionOfATaskIsInTheStreamInOrder() {
        taskq = builder().tasks(tasks).build();
        // Submitted before the worker starts: the submitter tells task-sent once the broker took the task, and a
        // worker already waiting may claim it and tell task-received first (the stream keeps the order told).
        TaskHandle<String> ok = taskq.submit(ExtensionTasks::ok, "e");
        taskq.startWorker(options());
        assertEquals("ok e", ok.get(WAIT));
        Await.until(WAIT, "four events", () -> ofTask(all(taskq.events()), ok.id()).size() == 4);
        List<Event> mine = ofTask(all(taskq.events()), ok.id());
        assertEquals(List.of(Event.TASK_SENT, Event.TASK_RECEIVED, Event.TASK_STARTED, Event.TASK_SUCCEEDED),
                mine.stream().map(Event::type).toList());
        Event done = mine.get(3);
        assertEquals("x.ok", done.field(Event.F_NAME));
        assertEquals("default", done.field(Event.F_QUEUE));
        assertEquals("w-1", done.field(Event.F_WORKER));
        assertEquals("1", done.field("attempt"));
        assertNotNull(done.field("runtime_ms"));
        assertNotNull(done.field("wait_ms"));
        assertEquals(ok.id(), done.field("root_id"));
        assertNotNull(done.position());

        TaskHandle<String> fails = taskq.submit(ExtensionTasks::fails);
        assertThrows(TaskFailedException.class, () -> fails.get(WAIT));
        Await.until(WAIT, "the dead letter's event", () -> ofTask(all(taskq.events()), fails.id()).stream()
                .anyMatch(e -> e.type().equals(Event.TASK_DEAD_LETTERED)));
        Event failed = ofTask(all(taskq.events()), fails.id()).stream()
                .filter(e -> e.type().equals(Event.TASK_FAILED)).findFirst().orElseThrow();
        assertEquals("java.lang.IllegalStateException", failed.field("error_type"));
        assertEquals("boom", failed.field("error_message"));
    }

    @Test
    void progressIsAnEventBetweenStartAndSuccess() {
        taskq = builder().tasks(tasks).build();
        taskq.startWorker(options());
        TaskHandle<String> h = taskq.submit(ExtensionTasks::progress, "a.pdf");
        assertEquals("a.pdf", h.get(WAIT));
        Await.until(WAIT, "the success", () -> ofTask(all(taskq.events()), h.id()).stream()
                .anyMatch(e -> e.type().equals(Event.TASK_SUCCEEDED)));
        List<Event> mine = ofTask(all(taskq.events()), h.id());
        // task-sent is told by the submitter once the broker took the task, so it may come after any of these
        List<String> types = mine.stream().map(Event::type).filter(t -> !t.equals(Event.TASK_SENT)).toList();
        assertEquals(List.of(Event.TASK_STARTED, Event.TASK_PROGRESS, Event.TASK_SUCCEEDED),
                types.subList(types.indexOf(Event.TASK_STARTED), types.size()));
        Event p = mine.stream().filter(e -> e.type().equals(Event.TASK_PROGRESS)).findFirst().orElseThrow();
        assertEquals("CONVERTING", p.field("progress_state"));
        assertEquals(Map.of("file", "a.pdf", "percent", 50),
                io.taskq.internal.Json.mapper().convertValue(readTree(p.field("progress_meta")), Map.class));
        assertEquals("x.progress", p.field(Event.F_NAME));
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return io.taskq.internal.Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void theStepsOfAChainAreSentWhenTheStepBeforeFinishes() {
        taskq = builder().tasks(tasks).build();
        taskq.startWorker(options());
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(ExtensionTasks::ok, "a"))
                .then(Signature.of(ExtensionTasks::ok)));
        assertEquals("ok ok a", h.get(WAIT));
        String first = h.steps().get(0).id();
        // task-sent is told once the broker took the first step's finish, so it may come after the second step ran
        Await.until(WAIT, "the second step's events", () -> ofTask(all(taskq.events()), h.id()).stream()
                .map(Event::type).toList().containsAll(List.of(Event.TASK_SUCCEEDED, Event.TASK_SENT)));
        List<Event> second = ofTask(all(taskq.events()), h.id());
        Event sent = second.stream().filter(e -> e.type().equals(Event.TASK_SENT)).findFirst().orElseThrow();
        assertEquals(first, sent.field("parent_id"));
        assertEquals(first, sent.field("root_id"));
        assertEquals("x.ok", sent.field(Event.F_NAME));
        assertEquals(1, second.stream().filter(e -> e.type().equals(Event.TASK_SENT)).count());
    }

    @Test
    void pagesFollowEachOtherByPosition() {
        taskq = builder().tasks(tasks).build();
        for (int i = 0; i < 25; i++) {
            taskq.submit(ExtensionTasks::ok, "p" + i);
        }
        Await.until(WAIT, "25 sent", () -> all(taskq.events()).size() == 25);
        EventPage first = taskq.events().since(null, 10);
        EventPage second = taskq.events().since(first.next(), 10);
        EventPage third = taskq.events().since(second.next(), 10);
        assertEquals(10, first.events().size());
        assertEquals(10, second.events().size());
        assertEquals(5, third.events().size());
        assertEquals(third.next(), taskq.events().since(third.next(), 10).next(), "nothing more: same position");
        assertThrows(IllegalArgumentException.class, () -> taskq.events().since(null, 0));
        assertThrows(IllegalArgumentException.class, () -> taskq.events().since("not-a-position", 10));
    }

    @Test
    void aSubscriptionFollowsLiveAndAThrowingConsumerMissesNothing() throws Exception {
        taskq = builder().tasks(tasks).build();
        taskq.submit(ExtensionTasks::ok, "before");
        Await.until(WAIT, "the first sent", () -> all(taskq.events()).size() == 1);
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (Events.Subscription s = taskq.events().subscribe(null, e -> {
            seen.add(e);
            throw new IllegalStateException("consumer bug");
        })) {
            // The subscription starts at the newest event; give it a submit to see.
            Await.until(WAIT, "subscribed and following", () -> {
                if (seen.isEmpty()) {
                    taskq.submit(ExtensionTasks::ok, "after");
                    return false;
                }
                return true;
            });
            int n = seen.size();
            taskq.startWorker(options());
            Await.until(WAIT, "the run's events too", () -> seen.size() >= n + 3);
        }
        List<String> stream = all(taskq.events()).stream().map(Event::position).toList();
        List<Integer> where = seen.stream().map(e -> stream.indexOf(e.position())).toList();
        for (int i = 0; i < where.size(); i++) {
            assertTrue(where.get(i) >= 0, "a stored event");
            assertTrue(i == 0 || where.get(i) > where.get(i - 1), "in order, each once: " + where);
        }
        assertTrue(where.get(0) > 0, "not the event before the subscription");
    }

    @Test
    void anApplicationCanStopPublishingAndStillRead() {
        Broker broker = newBroker();
        try (Taskq quiet = Taskq.builder().broker(broker).tasks(tasks).events(false).build();
             Taskq loud = Taskq.builder().broker(broker).tasks(new ExtensionTasks()).build()) {
            quiet.submit(ExtensionTasks::ok, "quiet");
            TaskHandle<String> h = loud.submit(ExtensionTasks::ok, "loud");
            Await.until(WAIT, "the loud one's event", () -> !all(quiet.events()).isEmpty());
            assertEquals(List.of(h.id()), all(quiet.events()).stream().map(e -> e.field(Event.F_ID)).toList());
            assertEquals(0, quiet.events().dropped());
        } finally {
            broker.close();
        }
    }
}
