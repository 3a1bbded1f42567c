package io.taskq.scheduler;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.taskq.scheduler.Fires.at;
import static io.taskq.scheduler.Fires.between;
import static io.taskq.scheduler.Fires.local;
import static io.taskq.scheduler.Fires.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cron across DST transitions. The rules under test are in docs/scheduling.md ("Time zones and daylight saving time"): named times (hour field not
 * {@code *}) fire once at the first occurrence of a repeated time and at the end of a gap for a
 * skipped time; hour-{@code *} schedules follow real time (nothing in a gap, both copies of an overlap).
 */
class CronDstTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");
    private static final ZoneId CHATHAM = ZoneId.of("Pacific/Chatham");
    private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");
    private static final ZoneId EUCLA = ZoneId.of("Australia/Eucla");
    private static final ZoneId TROLL = ZoneId.of("Antarctica/Troll");

    // ---- New York: 2024-03-10 02:00 EST -> 03:00 EDT, 2024-11-03 02:00 EDT -> 01:00 EST ----

    @Test
    void newYorkSkippedTimeFiresOnceAtEndOfGap() {
        Schedule s = Schedule.cron("30 2 * * *", NEW_YORK);
        assertEquals(List.of("2024-03-09T02:30-05:00", "2024-03-10T03:00-04:00", "2024-03-11T02:30-04:00"),
                local(next(s, at("2024-03-08T12:00-05:00"), 3), NEW_YORK));
    }

    @Test
    void newYorkRepeatedTimeFiresOnceAtFirstOccurrence() {
        Schedule s = Schedule.cron("30 1 * * *", NEW_YORK);
        assertEquals(List.of("2024-11-03T01:30-04:00", "2024-11-04T01:30-05:00"),
                local(next(s, at("2024-11-02T12:00-04:00"), 2), NEW_YORK));
        // Asked from inside the second pass, the repeated 01:30 is not offered again.
        assertEquals("2024-11-04T01:30-05:00",
                local(next(s, at("2024-11-03T01:10-05:00"), 1), NEW_YORK).get(0));
        // Asked between the first 01:30 and the end of the first pass: next day, never 01:30 EST.
        assertEquals("2024-11-04T01:30-05:00",
                local(next(s, at("2024-11-03T01:45-04:00"), 1), NEW_YORK).get(0));
    }

    @Test
    void newYorkHourlyKeepsRealTimeAcrossBothTransitions() {
        Schedule s = Schedule.cron("0 * * * *", NEW_YORK);
        assertEquals(List.of("2024-11-03T00:00-04:00", "2024-11-03T01:00-04:00", "2024-11-03T01:00-05:00",
                        "2024-11-03T02:00-05:00"),
                local(next(s, at("2024-11-02T23:30-04:00"), 4), NEW_YORK));
        assertEquals(List.of("2024-03-10T01:00-05:00", "2024-03-10T03:00-04:00", "2024-03-10T04:00-04:00"),
                local(next(s, at("2024-03-10T00:30-05:00"), 3), NEW_YORK));
        assertEveryGap(s, at("2024-03-09T00:00-05:00"), at("2024-03-12T00:00-04:00"), Duration.ofHours(1));
        assertEveryGap(s, at("2024-11-02T00:00-04:00"), at("2024-11-05T00:00-05:00"), Duration.ofHours(1));
        // 23 and 25 hours in the transition days' local calendars, one fire each.
        assertEquals(23, between(s, at("2024-03-10T00:00-05:00"), at("2024-03-11T00:00-04:00")).size());
        assertEquals(25, between(s, at("2024-11-03T00:00-04:00"), at("2024-11-04T00:00-05:00")).size());
    }

    @Test
    void newYorkEvery15MinutesKeepsRealTimeAcrossBothTransitions() {
        Schedule s = Schedule.cron("*/15 * * * *", NEW_YORK);
        assertEquals(List.of("2024-11-03T01:45-04:00", "2024-11-03T01:00-05:00", "2024-11-03T01:15-05:00"),
                local(next(s, at("2024-11-03T01:40-04:00"), 3), NEW_YORK));
        assertEquals(List.of("2024-03-10T01:45-05:00", "2024-03-10T03:00-04:00"),
                local(next(s, at("2024-03-10T01:40-05:00"), 2), NEW_YORK));
        assertEveryGap(s, at("2024-03-09T00:00-05:00"), at("2024-03-12T00:00-04:00"), Duration.ofMinutes(15));
        assertEveryGap(s, at("2024-11-02T00:00-04:00"), at("2024-11-05T00:00-05:00"), Duration.ofMinutes(15));
        assertEquals(92, between(s, at("2024-03-10T00:00-05:00"), at("2024-03-11T00:00-04:00")).size());
        assertEquals(100, between(s, at("2024-11-03T00:00-04:00"), at("2024-11-04T00:00-05:00")).size());
    }

    @Test
    void namedHoursFireOncePerLocalTime() {
        // Listing every hour by name is a wall-clock schedule: 24 local times, the repeated 01:00 once,
        // the skipped 02:00 folded into 03:00.
        Schedule s = Schedule.cron("0 0-23 * * *", NEW_YORK);
        assertEquals(24, between(s, at("2024-11-03T00:00-04:00"), at("2024-11-04T00:00-05:00")).size());
        assertEquals(23, between(s, at("2024-03-10T00:00-05:00"), at("2024-03-11T00:00-04:00")).size());
    }

    @Test
    void fixedHourWithMinuteStepFoldsTheWholeGapIntoOneFire() {
        Schedule s = Schedule.cron("*/10 2 * * *", NEW_YORK);
        assertEquals(List.of("2024-03-09T02:50-05:00", "2024-03-10T03:00-04:00", "2024-03-11T02:00-04:00"),
                local(next(s, at("2024-03-09T02:45-05:00"), 3), NEW_YORK));
    }

    @Test
    void gapTimesAndTheTimeRightAfterTheGapFireOnce() {
        Schedule s = Schedule.cron("0,30 2,3 * * *", NEW_YORK);
        assertEquals(List.of("2024-03-09T03:30-05:00", "2024-03-10T03:00-04:00", "2024-03-10T03:30-04:00"),
                local(next(s, at("2024-03-09T03:00-05:00"), 3), NEW_YORK));
    }

    @Test
    void gapFireIsNotRepeatedWhenAskedAtIt() {
        Schedule s = Schedule.cron("30 2 * * *", NEW_YORK);
        Instant gapFire = at("2024-03-10T03:00-04:00");
        assertEquals(at("2024-03-11T02:30-04:00"), s.nextFireAfter(gapFire).orElseThrow());
        assertEquals(gapFire, s.nextFireAfter(gapFire.minusNanos(1)).orElseThrow());
    }

    // ---- London: 2024-03-31 01:00 GMT -> 02:00 BST, 2024-10-27 02:00 BST -> 01:00 GMT ----

    @Test
    void london() {
        Schedule s = Schedule.cron("30 1 * * *", LONDON);
        assertEquals(List.of("2024-03-30T01:30Z", "2024-03-31T02:00+01:00", "2024-04-01T01:30+01:00"),
                local(next(s, at("2024-03-29T12:00Z"), 3), LONDON));
        assertEquals(List.of("2024-10-27T01:30+01:00", "2024-10-28T01:30Z"),
                local(next(s, at("2024-10-26T12:00+01:00"), 2), LONDON));
        Schedule monthly = Schedule.cron("0 1 27 10 *", LONDON);
        assertEquals(List.of("2024-10-27T01:00+01:00", "2025-10-27T01:00Z"),
                local(next(monthly, at("2024-10-01T00:00Z"), 2), LONDON));
    }

    // ---- Lord Howe: 30-minute DST. 2024-04-07 02:00 (+11) -> 01:30 (+10:30); 2024-10-06 02:00 -> 02:30 ----

    @Test
    void lordHoweHalfHourShift() {
        Schedule gap = Schedule.cron("15 2 * * *", LORD_HOWE);
        assertEquals(List.of("2024-10-06T02:30+11:00", "2024-10-07T02:15+11:00"),
                local(next(gap, at("2024-10-05T12:00+10:30"), 2), LORD_HOWE));
        Schedule overlap = Schedule.cron("45 1 * * *", LORD_HOWE);
        assertEquals(List.of("2024-04-07T01:45+11:00", "2024-04-08T01:45+10:30"),
                local(next(overlap, at("2024-04-06T12:00+11:00"), 2), LORD_HOWE));
        Schedule quarterly = Schedule.cron("*/15 * * * *", LORD_HOWE);
        assertEquals(List.of("2024-04-07T01:45+11:00", "2024-04-07T01:30+10:30", "2024-04-07T01:45+10:30",
                        "2024-04-07T02:00+10:30"),
                local(next(quarterly, at("2024-04-07T01:40+11:00"), 4), LORD_HOWE));
        assertEveryGap(quarterly, at("2024-04-06T00:00+11:00"), at("2024-04-08T00:00+10:30"), Duration.ofMinutes(15));
        assertEveryGap(quarterly, at("2024-10-05T00:00+10:30"), at("2024-10-07T00:00+11:00"), Duration.ofMinutes(15));
        // Hourly: 02:00 on the spring day does not exist, so 01:00 -> 03:00 local is 90 real minutes.
        Schedule hourly = Schedule.cron("0 * * * *", LORD_HOWE);
        assertEquals(List.of("2024-10-06T01:00+10:30", "2024-10-06T03:00+11:00"),
                local(next(hourly, at("2024-10-06T00:30+10:30"), 2), LORD_HOWE));
    }

    // ---- Chatham: 45-minute offset with DST. 2024-09-29 02:45 (+12:45) -> 03:45 (+13:45) ----

    @Test
    void chathamFortyFiveMinuteOffsetWithDst() {
        Schedule three = Schedule.cron("0 3 * * *", CHATHAM);
        assertEquals(List.of("2024-09-28T03:00+12:45", "2024-09-29T03:45+13:45", "2024-09-30T03:00+13:45"),
                local(next(three, at("2024-09-27T12:00+12:45"), 3), CHATHAM));
        // Hourly must not fire at 03:45 and 04:00, 15 minutes apart.
        Schedule hourly = Schedule.cron("0 * * * *", CHATHAM);
        assertEquals(List.of("2024-09-29T02:00+12:45", "2024-09-29T04:00+13:45"),
                local(next(hourly, at("2024-09-29T01:30+12:45"), 2), CHATHAM));
        assertEveryGap(hourly, at("2024-09-28T00:00+12:45"), at("2024-09-30T00:00+13:45"), Duration.ofHours(1));
    }

    @Test
    void celeryRegressionCasesFromPr10608() {
        // Cases where celery's DST rewrite returned the wrong day (research doc section 3.2).
        Schedule chatham = Schedule.cron("50 3 * * *", CHATHAM);
        assertEquals(at("2026-09-27T03:50+13:45"), chatham.nextFireAfter(at("2026-09-26T03:50+12:45")).orElseThrow());
        assertEquals(at("2026-04-05T03:50+12:45"), chatham.nextFireAfter(at("2026-04-04T03:50+13:45")).orElseThrow());
        // Troll shifts by two hours: +02 -> +00 on 2026-10-25 at 01:00 UTC.
        Schedule troll = Schedule.cron("0 23 * * *", TROLL);
        assertEquals(at("2026-10-25T23:00+00:00"), troll.nextFireAfter(at("2026-10-24T23:00+02:00")).orElseThrow());
    }

    // ---- 45-minute offsets without (current) DST ----

    @Test
    void kathmandu() {
        Schedule s = Schedule.cron("0 9 * * *", KATHMANDU);
        assertEquals(at("2024-06-01T03:15:00Z"), s.nextFireAfter(at("2024-06-01T00:00Z")).orElseThrow());
        // 1986-01-01: +05:30 -> +05:45, local 00:00-00:14 never happened.
        Schedule midnight = Schedule.cron("0 0 * * *", KATHMANDU);
        assertEquals(List.of("1985-12-31T00:00+05:30", "1986-01-01T00:15+05:45", "1986-01-02T00:00+05:45"),
                local(next(midnight, at("1985-12-30T12:00+05:30"), 3), KATHMANDU));
        Schedule fiveMinutes = Schedule.cron("*/5 * * * *", KATHMANDU);
        assertEquals(List.of("1985-12-31T23:55+05:30", "1986-01-01T00:15+05:45"),
                local(next(fiveMinutes, at("1985-12-31T23:50+05:30"), 2), KATHMANDU));
    }

    @Test
    void euclaHadDstWithFortyFiveMinuteOffset() {
        // Western Australia trialled DST 2006-2009; Eucla went +08:45 -> +09:45 on 2008-10-26 at 02:00.
        Schedule s = Schedule.cron("30 2 * * *", EUCLA);
        assertEquals(List.of("2008-10-26T03:00+09:45", "2008-10-27T02:30+09:45"),
                local(next(s, at("2008-10-25T12:00+08:45"), 2), EUCLA));
        assertEquals(at("2024-06-01T00:30+08:45"),
                Schedule.cron("30 0 * * *", EUCLA).nextFireAfter(at("2024-05-31T12:00+08:45")).orElseThrow());
    }

    // ---- Oracle: brute force minute by minute around every transition, compare with the search ----

    private record Case(String expression, Predicate<LocalDateTime> matches, boolean realTime) {
    }

    private static final List<Case> CASES = List.of(
            new Case("*/15 * * * *", t -> t.getMinute() % 15 == 0, true),
            new Case("0 * * * *", t -> t.getMinute() == 0, true),
            new Case("30 * * * *", t -> t.getMinute() == 30, true),
            new Case("0 */2 * * *", t -> t.getMinute() == 0 && t.getHour() % 2 == 0, true),
            new Case("* * * * *", t -> true, true),
            new Case("30 1 * * *", t -> t.getMinute() == 30 && t.getHour() == 1, false),
            new Case("30 2 * * *", t -> t.getMinute() == 30 && t.getHour() == 2, false),
            new Case("0,30 1-3 * * *", t -> t.getMinute() % 30 == 0 && t.getHour() >= 1 && t.getHour() <= 3, false),
            new Case("50 3 * * *", t -> t.getMinute() == 50 && t.getHour() == 3, false),
            new Case("0 0 * * *", t -> t.getMinute() == 0 && t.getHour() == 0, false),
            new Case("*/10 2 * * *", t -> t.getMinute() % 10 == 0 && t.getHour() == 2, false),
            new Case("0 23 * * *", t -> t.getMinute() == 0 && t.getHour() == 23, false));

    @TestFactory
    Stream<DynamicTest> matchesBruteForceAroundTransitions() {
        List<ZoneId> zones = Stream.of("Europe/London", "America/New_York", "Australia/Lord_Howe",
                "Pacific/Chatham", "Asia/Kathmandu", "Australia/Eucla", "Antarctica/Troll",
                "America/Santiago", "Pacific/Apia", "America/Sao_Paulo").map(ZoneId::of).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (ZoneId zone : zones) {
            for (ZoneOffsetTransition transition : transitions(zone)) {
                for (Case c : CASES) {
                    Instant from = transition.getInstant().minus(Duration.ofHours(30));
                    Instant to = transition.getInstant().plus(Duration.ofHours(30));
                    tests.add(DynamicTest.dynamicTest(zone + " " + transition.getDateTimeBefore() + " '" + c.expression + "'",
                            () -> assertMatchesBruteForce(c, zone, from, to)));
                }
            }
        }
        return tests.stream();
    }

    private static void assertMatchesBruteForce(Case c, ZoneId zone, Instant from, Instant to) {
        Schedule schedule = Schedule.cron(c.expression, zone);
        List<Instant> expected = bruteForce(c, zone, from, to);
        assertEquals(local(expected, zone), local(between(schedule, from, to), zone));
        // Asking from just before a fire, not only from the previous fire, must land on it too.
        for (Instant fire : expected) {
            assertEquals(fire, schedule.nextFireAfter(fire.minusNanos(1)).orElseThrow());
            if (!fire.minusSeconds(1).isBefore(from) && !expected.contains(fire.minusSeconds(60))) {
                assertEquals(fire, schedule.nextFireAfter(fire.minusSeconds(1)).orElseThrow());
            }
        }
    }

    /** Transitions of interest: the two 2024 ones plus historical oddities (Kathmandu 1986, Eucla 2008, Apia 2011). */
    private static List<ZoneOffsetTransition> transitions(ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffsetTransition> result = new ArrayList<>();
        for (int year : new int[] {1986, 2008, 2011, 2024}) {
            Instant cursor = LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(86_400);
            Instant end = LocalDate.of(year + 1, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
            for (ZoneOffsetTransition t = rules.nextTransition(cursor); t != null && t.getInstant().isBefore(end);
                 t = rules.nextTransition(t.getInstant())) {
                result.add(t);
            }
        }
        return result;
    }

    /**
     * The DST rules applied the slow, obvious way. Real time: every UTC minute whose local time matches.
     * Named times: every matching local minute mapped to one instant (earlier offset in an overlap,
     * transition instant in a gap).
     */
    private static List<Instant> bruteForce(Case c, ZoneId zone, Instant from, Instant to) {
        TreeSet<Instant> fires = new TreeSet<>();
        if (c.realTime) {
            for (Instant i = from.truncatedTo(ChronoUnit.MINUTES); i.isBefore(to); i = i.plusSeconds(60)) {
                if (!i.isBefore(from) && c.matches.test(LocalDateTime.ofInstant(i, zone))) {
                    fires.add(i);
                }
            }
        } else {
            ZoneRules rules = zone.getRules();
            LocalDateTime end = LocalDateTime.ofInstant(to, zone).plusDays(2);
            for (LocalDateTime t = LocalDateTime.ofInstant(from, zone).minusDays(2).truncatedTo(ChronoUnit.MINUTES);
                 t.isBefore(end); t = t.plusMinutes(1)) {
                if (!c.matches.test(t)) {
                    continue;
                }
                List<ZoneOffset> offsets = rules.getValidOffsets(t);
                Instant fire = offsets.isEmpty() ? rules.getTransition(t).getInstant() : t.toInstant(offsets.get(0));
                if (offsets.size() == 2) {
                    Instant other = t.toInstant(offsets.get(1));
                    fire = fire.isBefore(other) ? fire : other;
                }
                if (!fire.isBefore(from) && fire.isBefore(to)) {
                    fires.add(fire);
                }
            }
        }
        return new ArrayList<>(fires);
    }

    private static void assertEveryGap(Schedule s, Instant from, Instant to, Duration expected) {
        List<Instant> fires = between(s, from, to);
        assertTrue(fires.size() > 10, "too few fires: " + fires);
        for (int i = 1; i < fires.size(); i++) {
            assertEquals(expected, Duration.between(fires.get(i - 1), fires.get(i)),
                    "between " + fires.get(i - 1) + " and " + fires.get(i));
        }
    }
}
