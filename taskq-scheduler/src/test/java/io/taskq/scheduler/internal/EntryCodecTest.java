package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.OverlapPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.SolarEvent;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.EntryCodec.State;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An entry's stored JSON form: every field survives it, it is plain editable JSON, bad forms are named. */
class EntryCodecTest {
    private static final List<Schedule> SCHEDULES = List.of(
            Schedule.cron("0 7 * * MON-FRI", ZoneId.of("Europe/London")),
            Schedule.every(Duration.ofMinutes(15), Instant.parse("2024-01-01T00:00:00Z")),
            Schedule.clocked(Instant.parse("2024-06-21T10:00:00Z")),
            Schedule.solar(SolarEvent.SUNSET, -37.81753, 144.96715));

    private static PeriodicTask full(Schedule s) {
        return PeriodicTask.builder("n", "t.task", s).args("a", 2, List.of(true, 1.5)).queue("q").priority(9)
                .expires(Duration.ofMinutes(10)).enabled(false).startTime(Instant.parse("2024-01-02T00:00:00Z"))
                .oneOff(true).description("d ✓").missedRuns(MissedRunPolicy.runAll(4))
                .overlap(OverlapPolicy.SKIP_IF_RUNNING).build();
    }

    @Test
    void everyFieldSurvivesTheStoredForm() {
        for (Schedule s : SCHEDULES) {
            PeriodicTask p = full(s);
            assertEquals(p, EntryCodec.decodeDefinition(EntryCodec.encodeDefinition(p)), s.describe());
            PeriodicTask minimal = PeriodicTask.builder("m", "t", s).build();
            assertEquals(minimal, EntryCodec.decodeDefinition(EntryCodec.encodeDefinition(minimal)));
            State st = new State(Instant.parse("2024-01-01T00:01:00Z"), Instant.parse("2024-01-01T00:00:00.005Z"),
                    "sched:n:1", "q", 42, Instant.EPOCH, Instant.parse("2023-01-01T00:00:00Z"));
            Entry e = new Entry(p, minimal, st);
            assertEquals(e, EntryCodec.decode(EntryCodec.encode(e)));
            Entry undeclared = new Entry(minimal, null, State.created(Instant.EPOCH, null));
            assertEquals(undeclared, EntryCodec.decode(EntryCodec.encode(undeclared)));
        }
    }

    @Test
    void storedFormIsPlainEditableJson() {
        String json = EntryCodec.encodeDefinition(PeriodicTask.builder("nightly", "reports.run",
                Schedule.cron("30 2 * * *", ZoneId.of("Europe/London"))).args("x").build());
        assertEquals("{\"name\":\"nightly\",\"task\":\"reports.run\",\"args\":[\"x\"],\"schedule\":{\"kind\":\"cron\","
                + "\"expression\":\"30 2 * * *\",\"zone\":\"Europe/London\"},\"queue\":null,\"priority\":null,"
                + "\"expires\":null,\"enabled\":true,\"startTime\":null,\"oneOff\":false,\"description\":\"\","
                + "\"missedRuns\":{\"policy\":\"run-once\"},\"overlap\":\"allow\"}", json);
        // Hand-written: only name, task and schedule are needed; unknown fields are ignored.
        PeriodicTask p = EntryCodec.decodeDefinition("{\"name\":\"x\",\"task\":\"t\",\"future\":1,"
                + "\"schedule\":{\"kind\":\"interval\",\"every\":\"PT1H\"}}");
        assertEquals(PeriodicTask.builder("x", "t", Schedule.every(Duration.ofHours(1))).build(), p);
    }

    @Test
    void badStoredFormsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntryCodec.decodeDefinition(
                "{\"name\":\"x\",\"task\":\"t\",\"schedule\":{\"kind\":\"cron\",\"expression\":\"bad\"}}"))
                .getMessage().contains("bad"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntryCodec.decodeDefinition(
                "{\"name\":\"x\",\"task\":\"t\",\"schedule\":{\"kind\":\"interval\",\"every\":\"PT1H\"},"
                        + "\"missedRuns\":\"sometimes\"}")).getMessage().contains("sometimes"));
        assertTrue(EntryCodec.tryDecodeDefinition("not json").isEmpty());
        assertTrue(EntryCodec.tryDecodeDefinition(null).isEmpty());
    }

}
