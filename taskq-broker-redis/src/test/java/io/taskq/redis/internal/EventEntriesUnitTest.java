package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.StreamMessage;
import io.taskq.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event stream's entry layout and positions, without Redis. */
class EventEntriesUnitTest {
    private static final Instant T = Instant.parse("2031-01-01T00:00:00.123Z");

    @Test
    void aRunOfEventsComesBackAsItWentInEachAtItsPosition() {
        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("quote", "say \"hi\"\\ now");
        odd.put("lines", "a\nb\tc\u0001");
        odd.put("unicode", "é ✓ 😀");
        Map<String, String> task = new LinkedHashMap<>();
        task.put("id", "1");
        task.put("root_id", "1");
        task.put("parent_id", "0");
        task.put("same", "1");
        List<Event> run = List.of(Event.of("task-sent", T, task), Event.of("odd", T, odd),
                Event.of("empty", T, Map.of()), Event.of("task-started", T.plusMillis(5), Map.of("root_id", "1")));
        List<Event> back = EventEntries.decode(entry(EventEntries.F_EVENTS, EventEntries.encode(run)));
        assertEquals(List.of(run.get(0).at("5-1:0"), run.get(1).at("5-1:1"), run.get(2).at("5-1:2"),
                run.get(3).at("5-1:3")), back);
        assertEquals(List.of("quote", "lines", "unicode"), List.copyOf(back.get(1).fields().keySet()), "in order");
        assertEquals(List.of("id", "root_id", "parent_id", "same"), List.copyOf(back.get(0).fields().keySet()));
    }

    @Test
    void eachEventIsItsJsonObjectAsItWasMadeWhenTold() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", "abc");
        f.put("q", "say \"hi\"");
        Event e = Event.of("a", T, f);
        assertEquals("{\"type\":\"a\",\"ts\":1924992000123,\"fields\":{\"id\":\"abc\",\"q\":\"say \\\"hi\\\"\"}}", e.toJson());
        assertEquals("[" + e.toJson() + "," + e.toJson() + "]", EventEntries.encode(List.of(e, e)));
    }

    @Test
    void whatCannotBeReadIsSkipped() {
        for (String bad : List.of("", "[", "{}", "7", "[7,{\"ts\":1}]")) {
            assertEquals(List.of(), EventEntries.decode(entry(EventEntries.F_EVENTS, bad)), bad);
        }
        String run = "[7,{\"type\":\"ok\",\"ts\":\"x\",\"fields\":{\"id\":\"1\",\"n\":2,\"z\":null}},{\"type\":\"\"}]";
        assertEquals(List.of(Event.of("ok", Instant.EPOCH, Map.of("id", "1", "n", "2")).at("5-1:1")),
                EventEntries.decode(entry(EventEntries.F_EVENTS, run)));
    }

    private static StreamMessage<String, String> entry(String field, String value) {
        return new StreamMessage<>("k", "5-1", Map.of(EventEntries.F_COUNT, "1", field, value));
    }

    @Test
    void positionsAreEntryIdsWithAnOptionalIndex() {
        assertEquals(new EventEntries.Position("1700000000000-12", 3), EventEntries.parse("1700000000000-12:3"));
        assertEquals(new EventEntries.Position("0-0", -1), EventEntries.parse("0-0"));
        for (String bad : List.of("", "12", "a-1", "1-2:", "1-2:-1", "1-2:x", "1-2:1:2", " 1-2", "1-2:1234567890",
                "12345678901234567890-1")) {
            assertThrows(IllegalArgumentException.class, () -> EventEntries.parse(bad), bad);
        }
    }
}
