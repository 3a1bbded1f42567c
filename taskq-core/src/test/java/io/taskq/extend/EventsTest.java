package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Events;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.spi.EventLog;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.MemoryBroker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event stream on the in-memory broker: every transition, read by position or followed live. */
class EventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private Taskq taskq;

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
    void everyTransitionOfATaskIsInTheStreamInOrder() {
        taskq = Taskq.builder().tasks(tasks).build();
        taskq.startWorker(options());
        TaskHandle<String> ok = taskq.submit(ExtensionTasks::ok, "e");
        assertEquals("ok e", ok.get(WAIT));
        Await.until(WAIT, "four events", () -> ofTask(all(taskq.events()), ok.id()).size() == 4);
        List<Event> mine = ofTask(all(taskq.events()), ok.id());
        // task-sent is told once the broker took the task, so a worker may tell task-received before it; its
        // timestamp (the submit's) comes first all the same
        Event sent = mine.stream().filter(e -> e.type().equals(Event.TASK_SENT)).findFirst().orElseThrow();
        List<Event> worker = mine.stream().filter(e -> e != sent).toList();
        assertEquals(List.of(Event.TASK_RECEIVED, Event.TASK_STARTED, Event.TASK_SUCCEEDED),
                worker.stream().map(Event::type).toList());
        assertTrue(!sent.timestamp().isAfter(worker.get(0).timestamp()), "sent before received");
        Event done = worker.get(2);
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
    void pagesFollowEachOtherByPosition() {
        taskq = Taskq.builder().tasks(tasks).build();
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
        taskq = Taskq.builder().tasks(tasks).build();
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
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(Long.parseLong(seen.get(i).position()) > Long.parseLong(seen.get(i - 1).position()),
                    "in order, each once");
        }
        assertTrue(Long.parseLong(seen.get(0).position()) > 1, "not the event before the subscription");
    }

    @Test
    void anApplicationCanStopPublishingAndStillRead() {
        MemoryBroker broker = MemoryBroker.create();
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

    @Test
    void aBrokerWithoutAnEventStreamSaysSo() {
        MemoryBroker memory = MemoryBroker.create();
        ForwardingBroker none = new ForwardingBroker(memory) {
            @Override
            public Optional<EventLog> eventLog() {
                return Optional.empty();
            }
        };
        try (Taskq t = Taskq.builder().broker(none).resultBackend(memory).tasks(tasks).build()) {
            assertThrows(UnsupportedOperationException.class, t::events);
            assertTrue(t.submit(ExtensionTasks::ok, "still").created(), "tasks go on without a stream");
        } finally {
            memory.close();
        }
    }
}
