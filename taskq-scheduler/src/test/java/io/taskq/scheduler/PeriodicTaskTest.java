package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The entry value and its validation; its stored JSON form is EntryCodecTest's. */
class PeriodicTaskTest {
    @Test
    void builderValidates() {
        Schedule s = Schedule.every(Duration.ofMinutes(1));
        assertThrows(IllegalArgumentException.class, () -> PeriodicTask.builder(" ", "t", s));
        assertThrows(IllegalArgumentException.class, () -> PeriodicTask.builder("n", "", s));
        assertThrows(NullPointerException.class, () -> PeriodicTask.builder("n", "t", null));
        assertThrows(IllegalArgumentException.class, () -> PeriodicTask.builder("n", "t", s).priority(10));
        assertThrows(IllegalArgumentException.class, () -> PeriodicTask.builder("n", "t", s).argsJson("{}"));
        assertThrows(IllegalArgumentException.class, () -> PeriodicTask.builder("n", "t", s).argsJson("[1,"));
        assertThrows(IllegalArgumentException.class, () -> PeriodicTask.builder("n", "t", s).expires(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> MissedRunPolicy.runAll(0));
        assertThrows(IllegalArgumentException.class, () -> new MissedRunPolicy(MissedRunPolicy.Kind.SKIP, 3));
        PeriodicTask p = PeriodicTask.builder("n", "t", s).argsJson(" [ 1 , \"a\" ] ").build();
        assertEquals("[1,\"a\"]", p.args());
        assertEquals(p, PeriodicTask.builder("n", "t", s).args(1, "a").build());
        assertEquals(p.hashCode(), PeriodicTask.builder("n", "t", s).args(1, "a").build().hashCode());
        assertNotEquals(p, p.toBuilder().description("x").build());
        assertEquals(p, p.toBuilder().build());
        assertNull(p.queue().orElse(null));
    }
}
