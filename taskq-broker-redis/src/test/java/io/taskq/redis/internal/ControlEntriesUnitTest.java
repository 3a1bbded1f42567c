package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A control command as a stream entry: written and read back alike, and every bound checked on reading. */
class ControlEntriesUnitTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static ControlCommand command(String id, List<String> destination, String args) {
        return new ControlCommand(id, "pause", destination, args, AT, AT.plusSeconds(1));
    }

    @Test
    void aCommandReadsBackAsWritten() {
        ControlCommand c = command("0b1c-2d", List.of("w1", "node@host"), "{\"queue\":\"q\"}");
        Map<String, String> entry = ControlEntries.encode(c);
        assertEquals(List.of(ControlEntries.F_COMMAND), List.copyOf(entry.keySet()));
        assertEquals(c, ControlEntries.decode(entry));
        assertTrue(ControlEntries.decode(ControlEntries.encode(command("x", List.of(), "{}"))).destination().isEmpty());
    }

    @Test
    void anUnsafeIdIsRefusedOnBothSides() {
        assertThrows(IllegalArgumentException.class, () -> ControlEntries.encode(command("a:b", List.of(), "{}")));
        Map<String, String> entry = new HashMap<>(ControlEntries.encode(command("ok", List.of(), "{}")));
        entry.put(ControlEntries.F_COMMAND, entry.get(ControlEntries.F_COMMAND).replace("\"ok\"", "\"{x}\""));
        assertThrows(IllegalArgumentException.class, () -> ControlEntries.decode(entry));
    }

    @Test
    void boundsAreCheckedOnReading() {
        String big = "x".repeat(ControlBus.MAX_ARGUMENTS_CHARS + 1);
        Map<String, String> tooLargeArgs = ControlEntries.encode(command("a", List.of(), big));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ControlEntries.decode(tooLargeArgs))
                .getMessage().contains("args"));
        List<String> many = java.util.Collections.nCopies(ControlEntries.MAX_DESTINATIONS + 1, "w");
        Map<String, String> tooMany = ControlEntries.encode(command("a", many, "{}"));
        assertThrows(IllegalArgumentException.class, () -> ControlEntries.decode(tooMany));
        assertThrows(IllegalArgumentException.class, () -> ControlEntries.decode(
                Map.of(ControlEntries.F_COMMAND, "x".repeat(ControlEntries.MAX_ENTRY_CHARS + 1))));
        assertThrows(IllegalArgumentException.class, () -> ControlEntries.decode(Map.of("other", "{}")));
    }
}
