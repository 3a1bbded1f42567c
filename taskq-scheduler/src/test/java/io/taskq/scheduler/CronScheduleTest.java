package io.taskq.scheduler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static io.taskq.scheduler.Fires.at;
import static io.taskq.scheduler.Fires.local;
import static io.taskq.scheduler.Fires.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cron syntax and calendar cases, in UTC unless a zone matters. */
class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static List<String> fires(String expression, String after, int n) {
        return local(next(Schedule.cron(expression), at(after), n), UTC);
    }

    @Test
    void fiveFieldsAreMinuteHourDomMonthDow() {
        assertEquals(List.of("2024-05-01T09:30Z", "2024-05-02T09:30Z"), fires("30 9 * * *", "2024-05-01T00:00Z", 2));
    }

    @Test
    void sixFieldsStartWithSeconds() {
        assertEquals(List.of("2024-05-01T00:00:20Z", "2024-05-01T00:00:40Z", "2024-05-01T00:01Z"),
                fires("*/20 * * * * *", "2024-05-01T00:00Z", 3));
        assertEquals(List.of("2024-05-01T09:30:15Z"), fires("15 30 9 * * *", "2024-05-01T00:00Z", 1));
    }

    @Test
    void nextFireIsStrictlyAfter() {
        Schedule s = Schedule.cron("30 9 * * *");
        assertEquals(at("2024-05-02T09:30Z"), s.nextFireAfter(at("2024-05-01T09:30Z")).orElseThrow());
        assertEquals(at("2024-05-01T09:30Z"), s.nextFireAfter(at("2024-05-01T09:29:59.999Z")).orElseThrow());
        // Sub-second "after" within the fire's second: that second is over.
        assertEquals(at("2024-05-02T09:30Z"), s.nextFireAfter(at("2024-05-01T09:30:00.5Z")).orElseThrow());
    }

    @Test
    void stepsRangesAndLists() {
        assertEquals(List.of("2024-05-01T00:01Z", "2024-05-01T00:06Z", "2024-05-01T00:11Z", "2024-05-01T00:16Z",
                        "2024-05-01T00:21Z", "2024-05-01T00:26Z", "2024-05-01T01:01Z"),
                fires("1-30/5 * * * *", "2024-05-01T00:00Z", 7));
        assertEquals(List.of("2024-05-01T00:05Z", "2024-05-01T00:20Z", "2024-05-01T00:35Z", "2024-05-01T00:50Z",
                        "2024-05-01T01:05Z"),
                fires("5/15 * * * *", "2024-05-01T00:00Z", 5));
        assertEquals(List.of("2024-05-01T08:00Z", "2024-05-01T12:00Z", "2024-05-01T18:00Z", "2024-05-02T08:00Z"),
                fires("0 8,12,18 * * *", "2024-05-01T00:00Z", 4));
        assertEquals(List.of("2024-05-01T09:00Z", "2024-05-01T10:00Z", "2024-05-01T11:00Z", "2024-05-02T09:00Z"),
                fires("0 9-11 * * *", "2024-05-01T00:00Z", 4));
        assertEquals(List.of("2024-05-01T00:00Z", "2024-05-01T00:15Z", "2024-05-01T10:00Z"),
                fires("0,15 0,10 * * *", "2024-04-30T23:00Z", 3));
    }

    @Test
    void monthAndDayNamesAnyCase() {
        assertEquals(List.of("2024-06-03T09:00Z", "2024-06-04T09:00Z", "2025-01-01T09:00Z"),
                local(List.of(next(Schedule.cron("0 9 * JAN,jun Mon-FRI"), at("2024-06-01T00:00Z"), 1).get(0),
                        next(Schedule.cron("0 9 * JAN,jun Mon-FRI"), at("2024-06-03T09:00Z"), 1).get(0),
                        next(Schedule.cron("0 9 * JAN,jun Mon-FRI"), at("2024-06-28T09:00Z"), 1).get(0)), UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * sun", "0 0 0 ? * SUN"})
    void sundayIsZeroOrSevenOrSun(String expression) {
        List<Instant> fires = next(Schedule.cron(expression), at("2024-05-01T00:00Z"), 3);
        assertEquals(List.of(at("2024-05-05T00:00Z"), at("2024-05-12T00:00Z"), at("2024-05-19T00:00Z")), fires);
    }

    @Test
    void dayOfWeekRangesAndSteps() {
        // 5-7 = Fri, Sat, Sun; "7" at the top of a range is Sunday as well.
        assertEquals(List.of("2024-05-03T00:00Z", "2024-05-04T00:00Z", "2024-05-05T00:00Z", "2024-05-10T00:00Z"),
                fires("0 0 * * 5-7", "2024-05-01T00:00Z", 4));
        assertEquals(List.of("2024-05-04T00:00Z", "2024-05-05T00:00Z", "2024-05-11T00:00Z"),
                fires("0 0 * * SAT-SUN", "2024-05-01T00:00Z", 3));
        // */2 over 0-6: Sun, Tue, Thu, Sat (2024-05-01 is a Wednesday).
        List<Instant> stepped = next(Schedule.cron("0 0 * * */2"), at("2024-05-01T00:00Z"), 8);
        assertTrue(stepped.stream().allMatch(i -> List.of(DayOfWeek.SUNDAY, DayOfWeek.TUESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.SATURDAY).contains(i.atZone(UTC).getDayOfWeek())), stepped.toString());
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothRestricted() {
        // Vixie/POSIX: the 13th OR any Friday. 2024-09-13 is a Friday, 2024-10-13 a Sunday.
        assertEquals(List.of("2024-09-06T00:00Z", "2024-09-13T00:00Z", "2024-09-20T00:00Z", "2024-09-27T00:00Z",
                        "2024-10-04T00:00Z", "2024-10-11T00:00Z", "2024-10-13T00:00Z", "2024-10-18T00:00Z"),
                fires("0 0 13 * FRI", "2024-09-01T00:00Z", 8));
        // The 1st OR Mondays, from Monday 2024-01-01.
        assertEquals(List.of("2024-01-08T00:00Z", "2024-01-15T00:00Z", "2024-01-22T00:00Z", "2024-01-29T00:00Z",
                        "2024-02-01T00:00Z", "2024-02-05T00:00Z"),
                fires("0 0 1 * 1", "2024-01-01T00:00Z", 6));
        // A stepped day-of-month counts as restricted: odd days OR Mondays.
        assertEquals(List.of("2024-01-01T00:00Z", "2024-01-03T00:00Z", "2024-01-05T00:00Z", "2024-01-07T00:00Z",
                        "2024-01-08T00:00Z", "2024-01-09T00:00Z"),
                fires("0 0 */2 * MON", "2023-12-31T12:00Z", 6));
    }

    @Test
    void questionMarkOrStarLeavesOnlyTheOtherDayField() {
        assertEquals(fires("0 0 * * MON", "2024-01-02T00:00Z", 4), fires("0 0 0 ? * MON", "2024-01-02T00:00Z", 4));
        assertEquals(List.of("2024-01-15T00:00Z", "2024-02-15T00:00Z"), fires("0 0 0 15 * ?", "2024-01-02T00:00Z", 2));
        assertEquals(List.of("2024-01-15T00:00Z", "2024-02-15T00:00Z"), fires("0 0 15 * *", "2024-01-02T00:00Z", 2));
    }

    @Test
    void leapDay() {
        assertEquals(List.of("2024-02-29T00:00Z", "2028-02-29T00:00Z", "2032-02-29T00:00Z"),
                fires("0 0 29 2 *", "2023-03-01T00:00Z", 3));
        // 2100 is not a leap year: eight years between leap days, still found.
        assertEquals(List.of("2104-02-29T00:00Z"), fires("0 0 29 2 *", "2096-03-01T00:00Z", 1));
    }

    @Test
    void lastDayOfMonth() {
        assertEquals(List.of("2024-01-31T23:00Z", "2024-02-29T23:00Z", "2024-03-31T23:00Z", "2024-04-30T23:00Z"),
                fires("0 23 L * *", "2024-01-01T00:00Z", 4));
        assertEquals(List.of("2023-02-28T00:00Z"), fires("0 0 L 2 *", "2023-01-01T00:00Z", 1));
        assertEquals(List.of("2024-02-27T00:00Z", "2024-03-29T00:00Z"), fires("0 0 L-2 * *", "2024-02-01T00:00Z", 2));
        assertEquals(List.of("2024-02-01T00:00Z", "2028-02-01T00:00Z"), fires("0 0 L-28 2 *", "2023-03-01T00:00Z", 2));
        assertEquals(List.of("2024-02-01T00:00Z", "2024-02-29T00:00Z", "2024-03-01T00:00Z"),
                fires("0 0 1,L * *", "2024-01-31T00:00Z", 3));
    }

    @Test
    void thirtyFirstSkipsShortMonths() {
        assertEquals(List.of("2024-01-31T00:00Z", "2024-03-31T00:00Z", "2024-05-31T00:00Z", "2024-07-31T00:00Z",
                        "2024-08-31T00:00Z", "2024-10-31T00:00Z", "2024-12-31T00:00Z"),
                fires("0 0 31 * *", "2024-01-01T00:00Z", 7));
    }

    @Test
    void zoneAppliesToWallClock() {
        Schedule tokyo = Schedule.cron("0 9 * * *", ZoneId.of("Asia/Tokyo"));
        assertEquals(at("2024-05-02T00:00Z"), tokyo.nextFireAfter(at("2024-05-01T00:00Z")).orElseThrow());
        Schedule fixedOffset = Schedule.cron("0 9 * * *", ZoneOffset.ofHoursMinutes(5, 45));
        assertEquals(at("2024-05-01T03:15Z"), fixedOffset.nextFireAfter(at("2024-05-01T00:00Z")).orElseThrow());
    }

    @Test
    void extremeInstantsDoNotThrow() {
        Schedule s = Schedule.cron("0 0 * * *", ZoneId.of("Europe/London"));
        assertTrue(s.nextFireAfter(Instant.MAX).isEmpty());
        assertTrue(s.nextFireAfter(Instant.MIN).isEmpty());
        assertTrue(s.nextFireAfter(Instant.parse("+999999999-12-31T00:00:00Z")).isEmpty());
    }

    @Test
    void equalityAndDescription() {
        assertEquals(Schedule.cron("0  9 * * *"), Schedule.cron(" 0 9 * * * "));
        assertEquals(Schedule.cron("0 9 * * *").hashCode(), Schedule.cron("0 9 * * *", ZoneId.of("UTC")).hashCode());
        assertNotEquals(Schedule.cron("0 9 * * *"), Schedule.cron("0 9 * * *", ZoneId.of("Europe/London")));
        assertEquals("cron \"30 2 * * *\" in Europe/London",
                Schedule.cron("30 2 * * *", ZoneId.of("Europe/London")).describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                  | must not be blank",
            "* * * *             | expected 5 fields",
            "* * * * * * *       | got 7",
            "60 * * * *          | 60 not in range [0, 59]",
            "* 24 * * *          | 24 not in range [0, 23]",
            "0 0 0 * *           | 0 not in range [1, 31]",
            "0 0 * 13 *          | 13 not in range [1, 12]",
            "0 0 * * 8           | 8 not in range [0, 7]",
            "0 0 * * FRI-MON     | Invalid range",
            "0 0 15W * *         | W",
            "0 0 * * 5L          | L",
            "0 0 * * 1#2         | 1#2",
            "*/0 * * * *         | 0",
            "abc def ghi jkl mno | abc",
            "0 0 30 2 *          | can never fire",
            "0 0 31 4,6,9,11 *   | can never fire",
            "0 0 L-29 2 *        | can never fire",
    })
    void invalidExpressionsAreRejectedNamingTheProblem(String expression, String expectedFragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.cron(expression));
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
        if (!expression.isBlank()) {
            assertTrue(e.getMessage().contains(expression.trim().replaceAll("\\s+", " ")), e.getMessage());
        }
    }

    @Test
    void nullZoneRejected() {
        assertThrows(NullPointerException.class, () -> Schedule.cron("0 0 * * *", null));
    }
}
