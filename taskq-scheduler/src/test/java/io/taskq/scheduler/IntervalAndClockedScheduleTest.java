package io.taskq.scheduler;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static io.taskq.scheduler.Fires.at;
import static io.taskq.scheduler.Fires.local;
import static io.taskq.scheduler.Fires.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntervalAndClockedScheduleTest {

    @Test
    void intervalWithoutAnchorIsAlignedToTheEpoch() {
        Schedule hourly = Schedule.every(Duration.ofHours(1));
        assertEquals(at("2024-01-01T11:00Z"), hourly.nextFireAfter(at("2024-01-01T10:20:13Z")).orElseThrow());
        assertEquals(at("2024-01-01T12:00Z"), hourly.nextFireAfter(at("2024-01-01T11:00Z")).orElseThrow());
        assertEquals(at("2024-01-01T11:00Z"), hourly.nextFireAfter(at("2024-01-01T10:59:59.999999999Z")).orElseThrow());
    }

    @Test
    void intervalFiresAtAnchorPlusMultiples() {
        Instant anchor = at("2024-01-01T00:00:07Z");
        Schedule s = Schedule.every(Duration.ofMinutes(7), anchor);
        assertEquals(anchor, s.nextFireAfter(at("2023-06-01T00:00Z")).orElseThrow(), "before the anchor: the anchor");
        assertEquals(anchor.plus(Duration.ofMinutes(7)), s.nextFireAfter(anchor).orElseThrow());
        // Far from the anchor: still an exact multiple, no drift.
        Instant far = at("2031-05-17T13:13:13Z");
        Instant next = s.nextFireAfter(far).orElseThrow();
        assertTrue(next.isAfter(far) && !next.minus(Duration.ofMinutes(7)).isAfter(far));
        assertEquals(0, Duration.between(anchor, next).toSeconds() % (7 * 60));
    }

    @Test
    void subSecondPeriods() {
        Schedule s = Schedule.every(Duration.ofMillis(250));
        assertEquals(List.of(at("2024-01-01T00:00:00.250Z"), at("2024-01-01T00:00:00.500Z")),
                next(s, at("2024-01-01T00:00:00.100Z"), 2));
    }

    @Test
    void intervalIsAbsoluteTimeSoA24hPeriodMovesAnHourOnTheWallClockAcrossDst() {
        ZoneId london = ZoneId.of("Europe/London");
        // 09:00 GMT on the Saturday before the 2024-03-31 spring-forward.
        Schedule daily = Schedule.every(Duration.ofHours(24), at("2024-03-30T09:00Z"));
        assertEquals(List.of("2024-03-31T10:00+01:00", "2024-04-01T10:00+01:00"),
                local(next(daily, at("2024-03-30T09:00Z"), 2), london));
        // And back again at the 2024-10-27 fall-back.
        Schedule autumn = Schedule.every(Duration.ofDays(1), at("2024-10-26T09:00+01:00"));
        assertEquals(List.of("2024-10-27T08:00Z"), local(next(autumn, at("2024-10-26T09:00+01:00"), 1), london));
        // Exactly 24 real hours apart either way.
        List<Instant> fires = next(daily, at("2024-03-25T00:00Z"), 20);
        for (int i = 1; i < fires.size(); i++) {
            assertEquals(Duration.ofHours(24), Duration.between(fires.get(i - 1), fires.get(i)));
        }
    }

    @Test
    void intervalNearInstantMaxIsEmptyNotAnException() {
        Schedule s = Schedule.every(Duration.ofDays(365));
        assertTrue(s.nextFireAfter(Instant.MAX.minusSeconds(10)).isEmpty());
        assertTrue(s.nextFireAfter(Instant.MAX).isEmpty());
        assertEquals(Instant.EPOCH, s.nextFireAfter(Instant.MIN).orElseThrow());
    }

    @Test
    void intervalRejectsNonPositivePeriods() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Schedule.every(Duration.ZERO));
        assertTrue(zero.getMessage().contains("positive"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedule.every(Duration.ofSeconds(-5)));
        assertThrows(NullPointerException.class, () -> Schedule.every(null));
        assertThrows(NullPointerException.class, () -> Schedule.every(Duration.ofSeconds(1), null));
    }

    @Test
    void intervalDescription() {
        assertEquals("every 1h 30m", Schedule.every(Duration.ofMinutes(90)).describe());
        assertEquals("every 2d 250ms from 2024-01-01T00:00:00Z",
                Schedule.every(Duration.ofDays(2).plusMillis(250), at("2024-01-01T00:00Z")).describe());
        assertEquals(Schedule.every(Duration.ofMinutes(90)), Schedule.every(Duration.ofMinutes(90), Instant.EPOCH));
    }

    @Test
    void clockedFiresOnceStrictlyAfter() {
        Instant when = at("2024-06-21T10:00Z");
        Schedule s = Schedule.clocked(when);
        assertEquals(when, s.nextFireAfter(at("2024-06-21T09:59:59Z")).orElseThrow());
        assertTrue(s.nextFireAfter(when).isEmpty(), "the fire instant itself is not after itself");
        assertTrue(s.nextFireAfter(at("2024-06-22T00:00Z")).isEmpty());
        assertEquals(List.of(when), next(s, Instant.MIN, 5));
        assertEquals("once at 2024-06-21T10:00:00Z", s.describe());
        assertThrows(NullPointerException.class, () -> Schedule.clocked(null));
    }
}
