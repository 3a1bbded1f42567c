package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.contract.Golden;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.EntryCodec.State;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The schedule entry writer produces the golden file (docs/protocol.md's example) byte for byte, up to its
 * indentation (see {@link Golden} for why byte for byte).
 */
class EntryGoldenTest {

    @Test
    void theEntryWriterWritesTheGoldenEntry() {
        PeriodicTask nightly = PeriodicTask.builder("nightly", "reports.run",
                Schedule.cron("30 2 * * *", ZoneId.of("Europe/London"))).args("x").build();
        Instant created = Instant.parse("2024-06-21T09:00:00Z");
        Entry e = new Entry(nightly, null, State.created(created, Instant.parse("2024-06-22T01:30:00Z")));
        assertEquals(Golden.compact("schedule-entry.json"), EntryCodec.encode(e));
        assertEquals(e, EntryCodec.decode(Golden.text("schedule-entry.json")));
    }
}
