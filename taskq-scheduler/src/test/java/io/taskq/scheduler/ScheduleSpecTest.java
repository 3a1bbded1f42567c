package io.taskq.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Stream;

import static io.taskq.scheduler.Fires.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Schedule> schedules() {
        return Stream.of(
                Schedule.cron("30 2 * * *", ZoneId.of("Europe/London")),
                Schedule.cron("*/20 0 9 L * ?"),
                Schedule.cron("0 0 13 * FRI", ZoneId.of("Pacific/Chatham")),
                Schedule.every(Duration.ofMinutes(15)),
                Schedule.every(Duration.ofHours(25).plusMillis(3), at("2024-01-01T00:00:00.5Z")),
                Schedule.clocked(at("2024-06-21T10:00Z")),
                Schedule.solar(SolarEvent.DUSK_NAUTICAL, -37.81753, 144.96715),
                Schedule.solar(SolarEvent.SOLAR_NOON, 90, -180));
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void roundTripsThroughJackson(Schedule schedule) throws Exception {
        String json = JSON.writeValueAsString(schedule.toSpec());
        ScheduleSpec read = JSON.readValue(json, ScheduleSpec.class);
        assertEquals(schedule.toSpec(), read);
        Schedule back = Schedule.fromSpec(read);
        assertEquals(schedule, back, json);
        assertEquals(schedule.describe(), back.describe());
        Instant probe = at("2024-03-01T00:00Z");
        assertEquals(schedule.nextFireAfter(probe), back.nextFireAfter(probe));
    }

    @Test
    void specJsonLooksLikeThis() throws Exception {
        assertEquals("{\"kind\":\"cron\",\"expression\":\"30 2 * * *\",\"zone\":\"Europe/London\",\"every\":null,"
                        + "\"anchor\":null,\"at\":null,\"event\":null,\"latitude\":null,\"longitude\":null}",
                JSON.writeValueAsString(Schedule.cron("30 2 * * *", ZoneId.of("Europe/London")).toSpec()));
        assertEquals(new ScheduleSpec("interval", null, null, "PT15M", "1970-01-01T00:00:00Z", null, null, null, null),
                Schedule.every(Duration.ofMinutes(15)).toSpec());
        assertEquals(new ScheduleSpec("solar", null, null, null, null, null, "sunset", "-37.81753", "144.96715"),
                Schedule.solar(SolarEvent.SUNSET, -37.81753, 144.96715).toSpec());
    }

    @Test
    void handWrittenJsonWithOnlyTheNeededFields() throws Exception {
        assertEquals(Schedule.cron("0 9 * * MON"),
                Schedule.fromSpec(JSON.readValue("{\"kind\":\"cron\",\"expression\":\"0 9 * * MON\"}", ScheduleSpec.class)));
        assertEquals(Schedule.every(Duration.ofMinutes(15)),
                Schedule.fromSpec(JSON.readValue("{\"kind\":\"interval\",\"every\":\"900000\"}", ScheduleSpec.class)));
        assertEquals(Schedule.every(Duration.ofDays(1), at("2024-01-01T06:00Z")),
                Schedule.fromSpec(JSON.readValue("{\"kind\":\"interval\",\"every\":\"P1D\",\"anchor\":\"2024-01-01T06:00:00Z\"}",
                        ScheduleSpec.class)));
        assertEquals(Schedule.solar(SolarEvent.DAWN_CIVIL, 51.5, -0.13),
                Schedule.fromSpec(JSON.readValue(
                        "{\"kind\":\"solar\",\"event\":\"dawn_civil\",\"latitude\":\"51.5\",\"longitude\":\"-0.13\"}",
                        ScheduleSpec.class)));
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of(spec(null, null, null, null, null, null, null, null, null), "no kind"),
                Arguments.of(spec("crontab", "* * * * *", null, null, null, null, null, null, null), "unknown schedule kind 'crontab'"),
                Arguments.of(spec("cron", null, "UTC", null, null, null, null, null, null), "requires 'expression'"),
                Arguments.of(spec("cron", "61 * * * *", null, null, null, null, null, null, null), "minute field '61': 61 is out of range 0-59"),
                Arguments.of(spec("cron", "* * * * *", "Mars/Olympus", null, null, null, null, null, null), "unknown time zone 'Mars/Olympus'"),
                Arguments.of(spec("cron", "* * * * *", null, "PT1M", null, null, null, null, null), "field 'every' is not used by cron"),
                Arguments.of(spec("interval", null, null, null, null, null, null, null, null), "requires 'every'"),
                Arguments.of(spec("interval", null, null, "15 minutes", null, null, null, null, null), "ISO-8601 duration"),
                Arguments.of(spec("interval", null, null, "P1M", null, null, null, null, null), "ISO-8601 duration"),
                Arguments.of(spec("interval", null, null, "PT-5M", null, null, null, null, null), "positive"),
                Arguments.of(spec("interval", null, null, "0", null, null, null, null, null), "positive"),
                Arguments.of(spec("interval", null, null, "PT5M", "yesterday", null, null, null, null), "'anchor' must be an ISO-8601 instant"),
                Arguments.of(spec("clocked", null, null, null, null, null, null, null, null), "requires 'at'"),
                Arguments.of(spec("clocked", null, null, null, null, "2024-06-21 10:00", null, null, null), "'at' must be an ISO-8601 instant"),
                Arguments.of(spec("clocked", null, "UTC", null, null, "2024-06-21T10:00:00Z", null, null, null), "field 'zone' is not used by clocked"),
                Arguments.of(spec("solar", null, null, null, null, null, "sunup", "1", "2"), "unknown solar event 'sunup'"),
                Arguments.of(spec("solar", null, null, null, null, null, "sunrise", null, "2"), "requires 'latitude'"),
                Arguments.of(spec("solar", null, null, null, null, null, "sunrise", "north", "2"), "'latitude' must be a decimal"),
                Arguments.of(spec("solar", null, null, null, null, null, "sunrise", "91", "2"), "latitude must be within [-90, 90]"),
                Arguments.of(spec("solar", null, null, null, null, null, "sunrise", "0", "-180.5"), "longitude must be within [-180, 180]"),
                Arguments.of(spec("solar", null, null, null, null, null, "sunrise", "NaN", "0"), "must be finite"));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void invalidSpecsAreRejectedWithClearMessages(ScheduleSpec spec, String expectedFragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.fromSpec(spec));
        assertTrue(e.getMessage().contains(expectedFragment), "message was: " + e.getMessage());
    }

    @Test
    void nullSpecRejected() {
        assertThrows(NullPointerException.class, () -> Schedule.fromSpec(null));
    }

    private static ScheduleSpec spec(String kind, String expression, String zone, String every, String anchor,
                                     String at, String event, String latitude, String longitude) {
        return new ScheduleSpec(kind, expression, zone, every, anchor, at, event, latitude, longitude);
    }
}
