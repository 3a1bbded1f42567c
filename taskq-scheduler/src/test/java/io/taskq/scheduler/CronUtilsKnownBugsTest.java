package io.taskq.scheduler;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import static io.taskq.scheduler.Fires.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why taskq parses cron expressions and computes next-fire times itself instead of using cron-utils' parser and
 * {@code ExecutionTime} (cron-utils 9.2.1, the version the parent pom manages; a test dependency only).
 *
 * <p>Each test pins cron-utils' current wrong answer next to taskq's. If a cron-utils upgrade fixes
 * a bug, the first assertion fails: a cue to re-check whether its ExecutionTime could be used again.
 */
class CronUtilsKnownBugsTest {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private static ZonedDateTime cronUtilsNext(String expression, String after, ZoneId zone) {
        return ExecutionTime.forCron(UNIX.parse(expression))
                .nextExecution(at(after).atZone(zone)).orElseThrow();
    }

    @Test
    void cronUtilsRefusesDayOfWeekRangesStartingWithSunday() {
        // The definition taskq used: day-of-week 0-7, Monday = 1, 7 mapped to 0. SUN maps to 7 in every range,
        // so SUN-TUE becomes 7-2 and is refused, with a message in cron-utils' numbering, not the user's.
        CronParser parser = new CronParser(CronDefinitionBuilder.defineCron()
                .withSeconds().withValidRange(0, 59).withStrictRange().and()
                .withMinutes().withValidRange(0, 59).withStrictRange().and()
                .withHours().withValidRange(0, 23).withStrictRange().and()
                .withDayOfMonth().withValidRange(1, 31).supportsL().supportsQuestionMark().withStrictRange().and()
                .withMonth().withValidRange(1, 12).withStrictRange().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0)
                .supportsQuestionMark().withStrictRange().and()
                .instance());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parser.parse("0 0 0 * * SUN-TUE").validate());
        assertTrue(e.getMessage().contains("Invalid range! [7,2]"), e.getMessage());
        assertEquals(at("2024-05-05T00:00Z"),
                Schedule.cron("0 0 * * SUN-TUE").nextFireAfter(at("2024-05-01T00:00Z")).orElseThrow());
    }

    @Test
    void cronUtilsDropsTheWholeDayWhenTheTimeFallsInASpringForwardGap() {
        // New York 2024-03-10: 02:00 EST -> 03:00 EDT, so 02:30 does not exist that day.
        ZoneId newYork = ZoneId.of("America/New_York");
        assertEquals(at("2024-03-11T02:30-04:00"), cronUtilsNext("30 2 * * *", "2024-03-09T12:00-05:00", newYork).toInstant(),
                "cron-utils: no run at all on 2024-03-10");
        assertEquals(at("2024-03-10T03:00-04:00"),
                Schedule.cron("30 2 * * *", newYork).nextFireAfter(at("2024-03-09T12:00-05:00")).orElseThrow());
    }

    @Test
    void cronUtilsDropsTheDayForAHalfHourGapToo() {
        // Lord Howe 2024-10-06: 02:00 (+10:30) -> 02:30 (+11:00).
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        assertEquals(at("2024-10-07T02:15+11:00"), cronUtilsNext("15 2 * * *", "2024-10-05T12:00+10:30", lordHowe).toInstant(),
                "cron-utils: no run at all on 2024-10-06");
        assertEquals(at("2024-10-06T02:30+11:00"),
                Schedule.cron("15 2 * * *", lordHowe).nextFireAfter(at("2024-10-05T12:00+10:30")).orElseThrow());
    }

    @Test
    void cronUtilsDropsTheDayForAFortyFiveMinuteOffsetGap() {
        // Chatham 2024-09-29: 02:45 (+12:45) -> 03:45 (+13:45); 03:00 does not exist.
        ZoneId chatham = ZoneId.of("Pacific/Chatham");
        assertEquals(at("2024-09-30T03:00+13:45"), cronUtilsNext("0 3 * * *", "2024-09-28T12:00+12:45", chatham).toInstant(),
                "cron-utils: no run at all on 2024-09-29");
        assertEquals(at("2024-09-29T03:45+13:45"),
                Schedule.cron("0 3 * * *", chatham).nextFireAfter(at("2024-09-28T12:00+12:45")).orElseThrow());
    }

    @Test
    void cronUtilsFiresARepeatedTimeTwiceWhenAskedInsideTheOverlap() {
        // New York 2024-11-03: 01:00-01:59 happens twice. 01:30 EDT has fired; a scheduler tick (or a
        // restart) at 01:33 EDT asks for the next fire and cron-utils answers 01:30 EST, the same wall
        // time again: the daily job runs twice (the celery #1604 symptom).
        ZoneId newYork = ZoneId.of("America/New_York");
        assertEquals(at("2024-11-03T01:30-05:00"), cronUtilsNext("30 1 * * *", "2024-11-03T01:33-04:00", newYork).toInstant(),
                "cron-utils: second run of the same wall-clock time");
        assertEquals(at("2024-11-04T01:30-05:00"),
                Schedule.cron("30 1 * * *", newYork).nextFireAfter(at("2024-11-03T01:33-04:00")).orElseThrow());
        // Same in Santiago, where the clock goes back from 00:00 to 23:00 the evening before.
        ZoneId santiago = ZoneId.of("America/Santiago");
        assertEquals(at("2024-04-06T23:00-04:00"), cronUtilsNext("0 23 * * *", "2024-04-06T23:05-03:00", santiago).toInstant());
        assertEquals(at("2024-04-07T23:00-04:00"),
                Schedule.cron("0 23 * * *", santiago).nextFireAfter(at("2024-04-06T23:05-03:00")).orElseThrow());
    }

    @Test
    void cronUtilsSkipsAnExistingTimeJustBeforeAFortyFiveMinuteGap() {
        // Chatham 2024-09-29: the gap is 02:45-03:45, so 02:30 exists, yet cron-utils skips that day.
        ZoneId chatham = ZoneId.of("Pacific/Chatham");
        assertEquals(at("2024-09-30T02:30+13:45"), cronUtilsNext("30 2 * * *", "2024-09-28T03:47+12:45", chatham).toInstant(),
                "cron-utils: 2024-09-29T02:30+12:45 is skipped");
        assertEquals(at("2024-09-29T02:30+12:45"),
                Schedule.cron("30 2 * * *", chatham).nextFireAfter(at("2024-09-28T03:47+12:45")).orElseThrow());
    }
}
