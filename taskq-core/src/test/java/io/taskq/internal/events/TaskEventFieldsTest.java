package io.taskq.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.Event;
import io.taskq.TaskEvent;
import io.taskq.TaskEvent.Kind;
import io.taskq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * A task event's stream fields and JSON are the documented protocol (docs/events.md): each is checked against the
 * fields written out by hand and the JSON Jackson writes for them, byte for byte.
 */
class TaskEventFieldsTest {
    private static final Instant AT = Instant.parse("2031-01-01T00:00:01.234Z");

    private static String jackson(Event e) throws Exception {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("type", e.type());
        o.put("ts", e.timestamp().toEpochMilli());
        ObjectNode f = o.putObject("fields");
        e.fields().forEach(f::put);
        return Json.mapper().writeValueAsString(o);
    }

    private static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void aStartedEventHasItsFieldsInTheDocumentedOrder() throws Exception {
        TaskEvent started = TaskEvent.builder(Kind.STARTED, "t-1", "default", AT).taskName("app.add")
                .worker("w@h", 2).retries(1).lineage("r-1", "p-1").sent(AT.minusSeconds(3), AT.minusSeconds(1))
                .times(Duration.ofMillis(1500), null).args("[1,2]").build();
        Event e = TaskEventFields.of(started);
        assertEquals(Event.TASK_STARTED, e.type());
        assertEquals(AT, e.timestamp());
        assertEquals(List.copyOf(fields("id", "t-1", "name", "app.add", "queue", "default", "worker", "w@h",
                "attempt", "2", "retries", "1", "root_id", "r-1", "parent_id", "p-1",
                "sent_at", "2030-12-31T23:59:58.234Z",
                "eta", "2031-01-01T00:00:00.234Z", "wait_ms", "1500", "args", "[1,2]").entrySet()),
                List.copyOf(e.fields().entrySet()));
        assertEquals(jackson(e), e.toJson());
    }

    @Test
    void everyFieldWithEscapesAndLongMessagesIsWrittenAsJacksonWritesIt() throws Exception {
        String longText = "é\"\\\n\t\u0001x".repeat(100);
        TaskEvent failed = TaskEvent.builder(Kind.DEAD_LETTERED, "id \"quoted\"", "q\\1", AT).taskName("ünï")
                .worker("w\n", 1).retries(3).lineage("r", null).sent(AT, null)
                .times(Duration.ZERO, Duration.ofNanos(2_500_000)).error("java.lang.IllegalStateException", longText)
                .retryAt(AT.plusSeconds(60)).reason("max_retries").progress("RUNNING", "{\"p\":" + longText.length()
                        + ",\"t\":\"" + "a".repeat(600) + "\"}").build();
        Event e = TaskEventFields.of(failed);
        assertEquals(Event.TASK_DEAD_LETTERED, e.type());
        assertEquals(List.of("id", "name", "queue", "worker", "attempt", "retries", "root_id", "sent_at", "wait_ms",
                "runtime_ms", "error_type", "error_message", "retry_at", "reason", "progress_state",
                "progress_meta"), List.copyOf(e.fields().keySet()));
        assertEquals(longText.substring(0, TaskEventFields.MAX_MESSAGE) + "...", e.field("error_message"));
        assertEquals(TaskEventFields.MAX_MESSAGE + 3, e.field("progress_meta").length());
        assertEquals("2", e.field("runtime_ms"));
        assertEquals("0", e.field("wait_ms"));
        assertEquals("2031-01-01T00:01:01.234Z", e.field("retry_at"));
        assertEquals(jackson(e), e.toJson());
    }

    @Test
    void aSentEventHasNoWorkerNorAttempt() throws Exception {
        Event e = TaskEventFields.of(TaskEvent.builder(Kind.SENT, "t", "q", Instant.EPOCH).build());
        assertEquals(fields("id", "t", "queue", "q"), e.fields());
        assertEquals("{\"type\":\"task-sent\",\"ts\":0,\"fields\":{\"id\":\"t\",\"queue\":\"q\"}}", e.toJson());
    }

    @Test
    void theFieldsAreAReadOnlyMapInOrder() {
        TaskEventFields.Fields f = new TaskEventFields.Fields();
        f.add("a", "1");
        f.add("skipped", null);
        f.add("b", Duration.ofSeconds(2));
        f.add("c", Instant.EPOCH);
        assertEquals(fields("a", "1", "b", "2000", "c", "1970-01-01T00:00:00Z"), f);
        assertEquals(fields("a", "1", "b", "2000", "c", "1970-01-01T00:00:00Z").hashCode(), f.hashCode());
        assertEquals("2000", f.get("b"));
        assertFalse(f.containsKey("skipped"));
        Iterator<Map.Entry<String, String>> it = f.entrySet().iterator();
        it.next();
        it.next();
        it.next();
        assertThrows(NoSuchElementException.class, it::next);
        assertThrows(UnsupportedOperationException.class, () -> f.put("d", "4"));
    }
}
