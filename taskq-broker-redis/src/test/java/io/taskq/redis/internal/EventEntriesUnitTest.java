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
        List<Event> back = EventEntries.decode(entry(EventEntries.F_RUN, EventEntries.encode(run)));
        assertEquals(List.of(run.get(0).at("5-1:0"), run.get(1).at("5-1:1"), run.get(2).at("5-1:2"),
                run.get(3).at("5-1:3")), back);
        assertEquals(List.of("quote", "lines", "unicode"), List.copyOf(back.get(1).fields().keySet()), "in order");
        assertEquals(List.of("id", "root_id", "parent_id", "same"), List.copyOf(back.get(0).fields().keySet()));
    }

    @Test
    void namesAreWrittenOnceAndTheIdIsReferredTo() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", "abc");
        f.put("root_id", "abc");
        String run = EventEntries.encode(List.of(Event.of("a", T, f), Event.of("b", T, f)));
        assertEquals("{\"keys\":[\"id\",\"root_id\"],\"events\":[[\"a\",1924992000123,0,\"abc\",1,0],"
                + "[\"b\",1924992000123,0,\"abc\",1,0]]}", run);
    }

    @Test
    void entriesOfTheEarlierRunFormAreRead() {
        String earlier = "[{\"type\":\"task-sent\",\"ts\":1924992000123,\"fields\":{\"id\":\"1\",\"n\":2}}]";
        assertEquals(List.of(Event.of("task-sent", T, Map.of("id", "1", "n", "2")).at("5-1:0")),
                EventEntries.decode(entry(EventEntries.F_EVENTS, earlier)));
    }

    @Test
    void whatCannotBeReadIsSkipped() {
        for (String bad : List.of("", "[", "[]", "{}", "{\"keys\":{},\"events\":[]}", "{\"keys\":[],\"events\":7}")) {
            assertEquals(List.of(), EventEntries.decode(entry(EventEntries.F_RUN, bad)), bad);
        }
        String run = "{\"keys\":[\"id\",\"x\"],\"events\":[7,[],[\"\"],[\"ok\",\"ts?\",0,\"1\",1,9,5,\"v\",1],"
                + "[\"t\",1,0,{},1,true]]}";
        assertEquals(List.of(Event.of("ok", Instant.EPOCH, Map.of("id", "1")).at("5-1:3"),
                Event.of("t", Instant.ofEpochMilli(1), Map.of()).at("5-1:4")),
                EventEntries.decode(entry(EventEntries.F_RUN, run)));
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
