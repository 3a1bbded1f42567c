package io.taskq.scheduler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static io.taskq.scheduler.Fires.at;
import static io.taskq.scheduler.Fires.between;
import static io.taskq.scheduler.Fires.next;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Solar schedules against published tables. Reference values are minute-resolution almanac times
 * (NOAA solar calculator / timeanddate.com, which agree to the minute for these dates); suncalc is
 * accurate to about a minute, so the tolerance is one minute either side of the published minute.
 */
class SolarScheduleTest {

    private static final double LONDON_LAT = 51.5074;
    private static final double LONDON_LON = -0.1278;
    private static final double NEW_YORK_LAT = 40.7128;
    private static final double NEW_YORK_LON = -74.0060;
    private static final double TROMSO_LAT = 69.65;
    private static final double TROMSO_LON = 18.96;

    private static Instant fire(SolarEvent event, double lat, double lon, String after) {
        return Schedule.solar(event, lat, lon).nextFireAfter(at(after)).orElseThrow();
    }

    private static void assertWithinAMinute(String published, Instant actual) {
        Duration off = Duration.between(at(published), actual).abs();
        assertTrue(off.compareTo(Duration.ofSeconds(60)) <= 0, "expected ~" + published + " but was " + actual
                + " (" + off.toSeconds() + " s off)");
    }

    @Test
    void londonMidsummer() {
        // 2024-06-21: sunrise 04:43 BST, sunset 21:21 BST, solar noon 13:02 BST.
        assertWithinAMinute("2024-06-21T04:43+01:00", fire(SolarEvent.SUNRISE, LONDON_LAT, LONDON_LON, "2024-06-21T00:00+01:00"));
        assertWithinAMinute("2024-06-21T21:21+01:00", fire(SolarEvent.SUNSET, LONDON_LAT, LONDON_LON, "2024-06-21T00:00+01:00"));
        assertWithinAMinute("2024-06-21T13:02+01:00", fire(SolarEvent.SOLAR_NOON, LONDON_LAT, LONDON_LON, "2024-06-21T00:00+01:00"));
    }

    @Test
    void newYorkMidwinter() {
        // 2024-12-21: sunrise 07:16 EST, sunset 16:32 EST.
        assertWithinAMinute("2024-12-21T07:16-05:00", fire(SolarEvent.SUNRISE, NEW_YORK_LAT, NEW_YORK_LON, "2024-12-21T00:00-05:00"));
        assertWithinAMinute("2024-12-21T16:32-05:00", fire(SolarEvent.SUNSET, NEW_YORK_LAT, NEW_YORK_LON, "2024-12-21T00:00-05:00"));
    }

    @Test
    void eventsOfOneDayAreInNaturalOrder() {
        List<SolarEvent> order = List.of(SolarEvent.DAWN_ASTRONOMICAL, SolarEvent.DAWN_NAUTICAL, SolarEvent.DAWN_CIVIL,
                SolarEvent.SUNRISE, SolarEvent.SOLAR_NOON, SolarEvent.SUNSET, SolarEvent.DUSK_CIVIL,
                SolarEvent.DUSK_NAUTICAL, SolarEvent.DUSK_ASTRONOMICAL);
        Instant previous = at("2024-12-21T00:00-05:00");
        for (SolarEvent event : order) {
            Instant time = fire(event, NEW_YORK_LAT, NEW_YORK_LON, "2024-12-21T00:00-05:00");
            assertTrue(time.isAfter(previous), event + " at " + time + " is not after " + previous);
            assertEquals(LocalDate.of(2024, 12, 21), time.atZone(ZoneId.of("America/New_York")).toLocalDate(), event.toString());
            previous = time;
        }
        // Civil twilight at 40.7°N in December lasts about half an hour.
        Duration civil = Duration.between(fire(SolarEvent.DAWN_CIVIL, NEW_YORK_LAT, NEW_YORK_LON, "2024-12-21T00:00-05:00"),
                fire(SolarEvent.SUNRISE, NEW_YORK_LAT, NEW_YORK_LON, "2024-12-21T00:00-05:00"));
        assertTrue(civil.toMinutes() >= 25 && civil.toMinutes() <= 40, civil.toString());
    }

    @Test
    void oneFirePerDayAndStableUnderRepeatedQuestions() {
        Schedule sunrise = Schedule.solar(SolarEvent.SUNRISE, LONDON_LAT, LONDON_LON);
        List<Instant> fires = between(sunrise, at("2024-01-01T00:00Z"), at("2025-01-01T00:00Z"));
        assertEquals(366, fires.size());
        for (int i = 1; i < fires.size(); i++) {
            Duration gap = Duration.between(fires.get(i - 1), fires.get(i));
            assertTrue(gap.compareTo(Duration.ofHours(23)) > 0 && gap.compareTo(Duration.ofHours(25)) < 0, gap.toString());
        }
        // A scheduler asking again shortly before, at, or just after a fire must not see it twice.
        for (Instant fire : fires.subList(0, 30)) {
            assertEquals(fire, sunrise.nextFireAfter(fire.minusSeconds(1)).orElseThrow());
            assertEquals(fire, sunrise.nextFireAfter(fire.minusSeconds(3600)).orElseThrow());
            Instant following = sunrise.nextFireAfter(fire).orElseThrow();
            assertTrue(Duration.between(fire, following).toHours() >= 23, following.toString());
            assertEquals(following, sunrise.nextFireAfter(fire.plusMillis(1)).orElseThrow());
        }
    }

    @Test
    void tromsoPolarNightSkipsToTheFirstSunrise() {
        // No sunrise on 2024-12-21; the sun returns around 15 January (polar night ends mid-January).
        Instant sunrise = fire(SolarEvent.SUNRISE, TROMSO_LAT, TROMSO_LON, "2024-12-21T00:00Z");
        LocalDate day = sunrise.atZone(ZoneOffset.UTC).toLocalDate();
        assertTrue(!day.isBefore(LocalDate.of(2025, 1, 13)) && !day.isAfter(LocalDate.of(2025, 1, 17)), day.toString());
        // Solar noon still fires every day of the polar night.
        List<Instant> noons = between(Schedule.solar(SolarEvent.SOLAR_NOON, TROMSO_LAT, TROMSO_LON),
                at("2024-12-15T00:00Z"), at("2024-12-25T00:00Z"));
        assertEquals(10, noons.size());
    }

    @Test
    void tromsoMidnightSunSkipsToTheFirstSunset() {
        // Midnight sun in Tromsø lasts until about 24-26 July.
        Instant sunset = fire(SolarEvent.SUNSET, TROMSO_LAT, TROMSO_LON, "2024-06-21T00:00Z");
        LocalDate day = sunset.atZone(ZoneOffset.UTC).toLocalDate();
        assertTrue(!day.isBefore(LocalDate.of(2024, 7, 22)) && !day.isAfter(LocalDate.of(2024, 7, 28)), day.toString());
    }

    @Test
    void londonHasNoAstronomicalDuskAroundMidsummer() {
        // At 51.5°N the sun stays above -18° all night from early June to mid July.
        Instant dusk = fire(SolarEvent.DUSK_ASTRONOMICAL, LONDON_LAT, LONDON_LON, "2024-06-21T00:00Z");
        assertEquals(Month.JULY, dusk.atZone(ZoneOffset.UTC).getMonth());
        assertTrue(dusk.atZone(ZoneOffset.UTC).getDayOfMonth() > 5, dusk.toString());
    }

    @Test
    void nearThePoleSunriseIsTheSpringDate() {
        for (String after : List.of("2024-06-21T00:00Z", "2024-10-01T00:00Z", "2025-01-01T00:00Z", "2024-03-25T00:00Z")) {
            Optional<Instant> sunrise = Schedule.solar(SolarEvent.SUNRISE, 89.9, 0.0).nextFireAfter(at(after));
            // Either the March sunrise or nothing; suncalc finds it (about 18 March).
            sunrise.ifPresent(s -> assertEquals(Month.MARCH, s.atZone(ZoneOffset.UTC).getMonth(), after + " -> " + s));
            assertTrue(sunrise.isPresent(), after);
        }
    }

    @ParameterizedTest
    @EnumSource(SolarEvent.class)
    void polesAndExtremesNeverThrow(SolarEvent event) {
        for (double[] place : new double[][] {{90, 0}, {-90, 180}, {89.9, -180}, {-89.9, 45}, {0, 180}, {78.22, 15.65}}) {
            Schedule s = Schedule.solar(event, place[0], place[1]);
            for (String after : List.of("2024-03-20T00:00Z", "2024-06-21T00:00Z", "2024-09-22T00:00Z", "2024-12-21T00:00Z")) {
                assertDoesNotThrow(() -> next(s, at(after), 3));
            }
            assertDoesNotThrow(() -> s.nextFireAfter(Instant.MAX));
            assertDoesNotThrow(() -> s.nextFireAfter(Instant.MIN));
        }
    }

    @Test
    void coordinatesAreValidated() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedule.solar(SolarEvent.SUNRISE, 90.5, 0))
                .getMessage().contains("latitude"));
        assertThrows(IllegalArgumentException.class, () -> Schedule.solar(SolarEvent.SUNRISE, -91, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedule.solar(SolarEvent.SUNRISE, 0, 180.01))
                .getMessage().contains("longitude"));
        assertThrows(IllegalArgumentException.class, () -> Schedule.solar(SolarEvent.SUNRISE, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.solar(SolarEvent.SUNRISE, 0, Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> Schedule.solar(null, 0, 0));
    }

    @Test
    void eventNamesMatchCelery() {
        assertEquals(List.of("sunrise", "sunset", "dawn_astronomical", "dawn_nautical", "dawn_civil",
                        "dusk_astronomical", "dusk_nautical", "dusk_civil", "solar_noon"),
                java.util.Arrays.stream(SolarEvent.values()).map(SolarEvent::specName).toList());
        assertEquals(SolarEvent.DAWN_CIVIL, SolarEvent.fromSpecName(" Dawn_Civil "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SolarEvent.fromSpecName("sunup"))
                .getMessage().contains("solar_noon"));
        assertEquals("sunset at latitude -37.81753, longitude 144.96715",
                Schedule.solar(SolarEvent.SUNSET, -37.81753, 144.96715).describe());
    }
}
