package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.contract.MutableClock;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's view of the entries: re-read on a change or when forced, and what is due when. */
class EntryCacheTest {
    private static final Instant T = Instant.parse("2030-01-01T10:00:00Z");
    private final Parts parts = new Parts(new MutableClock());

    @AfterEach
    void close() {
        parts.close();
    }

    private static PeriodicTask hourly(String name) {
        return PeriodicTask.builder(name, "tick", Schedule.every(Duration.ofHours(1))).build();
    }

    @Test
    void itReReadsWhenTheChangeCountMovesOrWhenForced() {
        parts.cache.refresh(false);
        parts.put(hourly("quiet"), T);
        parts.cache.refresh(false);
        assertEquals(List.of(), parts.cache.due(T), "a state write is not a change");
        parts.cache.refresh(true);
        assertEquals(List.of("quiet"), parts.cache.due(T));

        parts.editor.delete("quiet", "test");
        parts.cache.refresh(false);
        assertEquals(List.of(), parts.cache.due(T), "a delete is a change");
    }

    @Test
    void dueAndNextDueLookAtEnabledEntriesOnly() {
        parts.put(hourly("later"), T.plusSeconds(30));
        parts.put(hourly("now"), T);
        parts.put(hourly("off").toBuilder().enabled(false).build(), T.minusSeconds(30));
        parts.store.write("broken", "not json", 0, null);
        parts.cache.refresh(true);

        assertEquals(List.of("now"), parts.cache.due(T));
        assertEquals(Optional.of(T), parts.cache.nextDue());
        parts.cache.remove("now");
        assertEquals(List.of(), parts.cache.due(T));
        assertEquals(Optional.of(T.plusSeconds(30)), parts.cache.nextDue());
    }
}
