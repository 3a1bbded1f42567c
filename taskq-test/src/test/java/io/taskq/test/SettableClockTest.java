package io.taskq.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SettableClockTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void standsStillUntilMoved() {
        SettableClock clock = new SettableClock(START);
        assertEquals(START, clock.instant());
        assertEquals(START.toEpochMilli(), clock.millis());
        assertEquals(ZoneOffset.UTC, clock.getZone());
        assertEquals(START.plusSeconds(90), clock.advance(Duration.ofSeconds(90)));
        assertEquals(START.plusSeconds(90), clock.instant());
        clock.set(START.minusSeconds(5));
        assertEquals(START.minusSeconds(5), clock.instant());
    }

    @Test
    void goesBackOnlyBySet() {
        SettableClock clock = new SettableClock(START);
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertEquals(START, clock.instant());
    }

    @Test
    void aCopyInAnotherZoneSharesTheTime() {
        SettableClock clock = new SettableClock(START);
        SettableClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofHours(1));
        assertEquals(START.plusSeconds(3600), paris.instant());
        assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
    }
}
