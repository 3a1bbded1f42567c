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
        List<Event> run = List.of(Event.of("task-sent", T, Map.of("id", "1")), Event.of("odd", T, odd),
                Event.of("empty", T, Map.of()));
        String packed = EventEntries.encode(run);
        List<Event> back = EventEntries.decode(new StreamMessage<>("k", "5-1",
                Map.of(EventEntries.F_COUNT, "3", EventEntries.F_EVENTS, packed)));
        assertEquals(List.of(run.get(0).at("5-1:0"), run.get(1).at("5-1:1"), run.get(2).at("5-1:2")), back);
        assertEquals(List.of("quote", "lines", "unicode"), List.copyOf(back.get(1).fields().keySet()), "in order");
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
