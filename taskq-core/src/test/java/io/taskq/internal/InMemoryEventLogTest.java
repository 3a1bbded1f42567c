package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskq.Event;
import io.taskq.EventPage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-memory event stream: bounded, positioned, read after a position, awaited. */
class InMemoryEventLogTest {
    private static final Instant T = Instant.parse("2031-01-01T00:00:00Z");

    private static List<Event> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> Event.of("e" + i, T, Map.of("i", "" + i))).toList();
    }

    private static List<String> types(EventPage p) {
        return p.events().stream().map(Event::type).toList();
    }

    @Test
    void keepsTheNewestAndReadsOnFromAPosition() {
        InMemoryEventLog log = new InMemoryEventLog(3);
        log.append(events(0, 5));
        EventPage all = log.read(null, 10);
        assertEquals(List.of("e2", "e3", "e4"), types(all));
        assertEquals(List.of("3", "4", "5"), all.events().stream().map(Event::position).toList());
        assertEquals("5", all.next());
        assertEquals(List.of("e3"), types(log.read("3", 1)));
        assertEquals("4", log.read("3", 1).next());
        assertEquals(List.of("e2", "e3", "e4"), types(log.read("1", 10)), "an evicted position reads from the oldest");
        EventPage none = log.read("5", 10);
        assertEquals(List.of(), none.events());
        assertEquals("5", none.next());
        assertThrows(IllegalArgumentException.class, () -> log.read("x-1", 10));
    }

    @Test
    void awaitReturnsWhatComesAndNullMeansOnlyWhatIsToCome() throws Exception {
        InMemoryEventLog log = new InMemoryEventLog(10);
        log.append(events(0, 2));
        EventPage nothing = log.await(null, 10, Duration.ofMillis(20));
        assertEquals(List.of(), nothing.events(), "the two before are not to come");
        assertEquals("2", nothing.next());
        Thread appender = new Thread(() -> log.append(events(2, 3)));
        appender.start();
        EventPage next = log.await(nothing.next(), 10, Duration.ofMinutes(1));
        appender.join();
        assertEquals(List.of("e2"), types(next));
    }
}
