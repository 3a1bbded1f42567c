package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taskq.Event;
import io.taskq.Task;
import io.taskq.TaskEvent;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The arguments shown in events and listings: off by default, cut with an ellipsis, made from the message's JSON. */
class ArgsReprTest {

    private static ArrayNode args(Object... values) {
        ArrayNode a = Json.mapper().createArrayNode();
        for (Object v : values) {
            a.add(Json.mapper().valueToTree(v));
        }
        return a;
    }

    @Test
    void offShowsNothing() {
        assertNull(ArgsRepr.OFF.of(args("x")));
        assertNull(ArgsRepr.of(0).ofMessage("anything"));
    }

    @Test
    void shortArgumentsShowWholeAndLongOnesAreCutWithAnEllipsis() {
        assertEquals("[\"a\",1,true]", ArgsRepr.of(100).of(args("a", 1, true)));
        String cut = ArgsRepr.of(10).of(args("abcdefghijklmnopqrstuvwxyz"));
        assertEquals("[\"abcde...", cut);
        assertEquals(10, cut.length());
    }

    @Test
    void largeArgumentsCostNoMoreThanTheBound() {
        String big = ArgsRepr.of(50).of(args("x".repeat(5_000_000)));
        assertEquals(50, big.length());
        assertTrue(big.endsWith("..."));
    }

    @Test
    void aBoundWithNoRoomBesidesTheEllipsisIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ArgsRepr.of(3));
        assertThrows(IllegalArgumentException.class, () -> ArgsRepr.of(-1));
        assertThrows(IllegalArgumentException.class, () -> Taskq.builder().argsRepr(2));
    }

    @Test
    void anUnreadableMessageShowsNothing() {
        assertNull(ArgsRepr.of(20).ofMessage("not an envelope"));
    }

    /** An argument whose toString must never be called: the text comes from its JSON. */
    public record Secretive(String name) {
        @Override
        public String toString() {
            throw new AssertionError("toString called on an application object");
        }
    }

    /** Tasks of this test. */
    public static class Tasks {
        @Task(name = "a.take")
        public String take(Secretive s, int n) {
            return s.name() + n;
        }
    }

    @Test
    void eventsCarryTheArgumentsAsJsonOnSentAndStarted() {
        List<TaskEvent> heard = new CopyOnWriteArrayList<>();
        try (Taskq taskq = Taskq.builder().tasks(new Tasks()).argsRepr(40).listener(heard::add).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(1).build());
            String id = taskq.submit(Tasks::take, new Secretive("bob"), 7).id();
            Await.until(Duration.ofSeconds(20), "succeeded", () -> heard.stream()
                    .anyMatch(e -> e.taskId().equals(id) && e.kind() == TaskEvent.Kind.SUCCEEDED));
            String json = "[{\"name\":\"bob\"},7]";
            for (TaskEvent e : heard) {
                boolean shows = e.kind() == TaskEvent.Kind.SENT || e.kind() == TaskEvent.Kind.STARTED;
                assertEquals(shows ? json : null, e.args(), e.toString());
            }
            Await.until(Duration.ofSeconds(20), "in the stream", () -> taskq.events().since(null, 100).events()
                    .stream().anyMatch(e -> e.type().equals(Event.TASK_STARTED) && json.equals(e.field(Event.F_ARGS))));
            assertTrue(taskq.events().since(null, 100).events().stream()
                    .anyMatch(e -> e.type().equals(Event.TASK_SENT) && json.equals(e.field(Event.F_ARGS))));
        }
    }
}
