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
            "''                  | cron expression must not be blank",
            "* * * *             | invalid cron expression '* * * *': expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got 4",
            "* * * * * * *       | invalid cron expression '* * * * * * *': expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got 7 (years are not supported)",
            "@hourly             | invalid cron expression '@hourly': macros such as @hourly are not supported: write the fields (@hourly is 0 * * * *, @daily 0 0 * * *)",
            "60 * * * *          | invalid cron expression '60 * * * *': minute field '60': 60 is out of range 0-59",
            "* 24 * * *          | invalid cron expression '* 24 * * *': hour field '24': 24 is out of range 0-23",
            "0 0 0 * *           | invalid cron expression '0 0 0 * *': day-of-month field '0': 0 is out of range 1-31",
            "0 0 * 13 *          | invalid cron expression '0 0 * 13 *': month field '13': 13 is out of range 1-12 or JAN-DEC",
            "0 0 * * 8           | invalid cron expression '0 0 * * 8': day-of-week field '8': 8 is out of range 0-7 or SUN-SAT",
            "0 0 * * 1,3-9       | invalid cron expression '0 0 * * 1,3-9': day-of-week field '1,3-9': 9 is out of range 0-7 or SUN-SAT",
            "0 0 * * FRI-MON     | invalid cron expression '0 0 * * FRI-MON': day-of-week field 'FRI-MON': invalid range FRI-MON: it ends before it starts (ranges do not wrap around: write FRI-SAT,SUN-MON)",
            "0 0 * * 5-1         | invalid cron expression '0 0 * * 5-1': day-of-week field '5-1': invalid range 5-1: it ends before it starts (ranges do not wrap around: write 5-6,0-1)",
            "0 0 * * 7-2         | invalid cron expression '0 0 * * 7-2': day-of-week field '7-2': invalid range 7-2: it ends before it starts (7 is Sunday only at the end of a range: write 0-2)",
            "0 0 * NOV-FEB *     | invalid cron expression '0 0 * NOV-FEB *': month field 'NOV-FEB': invalid range NOV-FEB: it ends before it starts (ranges do not wrap around: write NOV-DEC,JAN-FEB)",
            "50-10 * * * *       | invalid cron expression '50-10 * * * *': minute field '50-10': invalid range 50-10: it ends before it starts (ranges do not wrap around: write 50-59,0-10)",
            "0 0 15W * *         | invalid cron expression '0 0 15W * *': day-of-month field '15W': W (nearest weekday) is not supported",
            "0 0 LW * *          | invalid cron expression '0 0 LW * *': day-of-month field 'LW': W (nearest weekday) is not supported",
            "0 0 * * 5L          | invalid cron expression '0 0 * * 5L': day-of-week field '5L': L (last such weekday of the month) is not supported",
            "0 0 * * 1#2         | invalid cron expression '0 0 * * 1#2': day-of-week field '1#2': # (n-th weekday of the month) is not supported",
            "0 L * * *           | invalid cron expression '0 L * * *': hour field 'L': L (last) is only supported in the day-of-month field",
            "0 0 L-31 * *        | invalid cron expression '0 0 L-31 * *': day-of-month field 'L-31': L-31 is out of range: L-n needs n from 0 to 30",
            "0 ? * * *           | invalid cron expression '0 ? * * *': hour field '?': ? is only allowed as the whole day-of-month or day-of-week field",
            "*/0 * * * *         | invalid cron expression '*/0 * * * *': minute field '*/0': invalid step 0: it must be a whole number of at least 1",
            "1,,2 * * * *        | invalid cron expression '1,,2 * * * *': minute field '1,,2': empty list item",
            "5- * * * *          | invalid cron expression '5- * * * *': minute field '5-': a value is missing",
            "abc def ghi jkl mno | invalid cron expression 'abc def ghi jkl mno': minute field 'abc': abc is not a number",
            "0 0 * * FUN         | invalid cron expression '0 0 * * FUN': day-of-week field 'FUN': FUN is neither a number nor a day name (SUN-SAT)",
            "0 0 * MON *         | invalid cron expression '0 0 * MON *': month field 'MON': MON is neither a number nor a month name (JAN-DEC)",
            "0 0 30 2 *          | invalid cron expression '0 0 30 2 *': it can never fire, no selected month has the selected day(s) of month",
            "0 0 31 4,6,9,11 *   | invalid cron expression '0 0 31 4,6,9,11 *': it can never fire, no selected month has the selected day(s) of month",
            "0 0 L-29 2 *        | invalid cron expression '0 0 L-29 2 *': it can never fire, no selected month has the selected day(s) of month",
    })
    void invalidExpressionsAreRejectedInTheUsersOwnTerms(String expression, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.cron(expression));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // Issue 13: ranges starting with SUN were refused ("Invalid range! [7,2]").
            "SUN-TUE | SUNDAY,MONDAY,TUESDAY",
            "sun-tue | SUNDAY,MONDAY,TUESDAY",
            "SUN-SAT | SUNDAY,MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY",
            "SUN-SUN | SUNDAY",
            "FRI-SUN | FRIDAY,SATURDAY,SUNDAY",
            "SAT-SUN | SATURDAY,SUNDAY",
            "0-2     | SUNDAY,MONDAY,TUESDAY",
            "5-7     | FRIDAY,SATURDAY,SUNDAY",
            "0-7     | SUNDAY,MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY",
            "7       | SUNDAY",
            "SUN/3   | SUNDAY,WEDNESDAY,SATURDAY",
            "SUN-WED/2 | SUNDAY,TUESDAY",
            "MON-SUN/2 | MONDAY,WEDNESDAY,FRIDAY,SUNDAY",
            "'TUE,SUN-MON' | SUNDAY,MONDAY,TUESDAY",
    })
    void dayOfWeekRangesWithSundayAtEitherEnd(String dayOfWeek, String expectedDays) {
        List<DayOfWeek> days = next(Schedule.cron("0 0 * * " + dayOfWeek), at("2024-05-01T00:00Z"), 14).stream()
                .map(i -> i.atZone(UTC).getDayOfWeek()).distinct().sorted().toList();
        List<DayOfWeek> expected = java.util.Arrays.stream(expectedDays.split(",")).map(DayOfWeek::valueOf).sorted()
                .toList();
        assertEquals(expected, days);
    }

    @Test
    void nullZoneRejected() {
        assertThrows(NullPointerException.class, () -> Schedule.cron("0 0 * * *", null));
    }
}
