package io.taskq.scheduler.internal;

import io.taskq.scheduler.SolarEvent;
import org.shredzone.commons.suncalc.SunTimes;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Next occurrence of a {@link SolarEvent}, computed with commons-suncalc (accuracy about a minute).
 *
 * <p>suncalc searches forward from its start time by sampling, so the instant it reports depends
 * slightly on where the search starts. A scheduler that asks "next after the fire I just did" would
 * then see the same sunrise again, a few seconds later, and fire twice. So every event is computed
 * in a fixed 24-hour window per day, always starting at the same instant, and truncated to the
 * second: the set of fire instants is a pure function of the day.
 *
 * <p>Windows follow local mean time at the longitude so that no event sits on a window edge:
 * rising events lie between solar midnight and noon, so their window is centred on 06:00 local mean
 * time; setting events lie between noon and the next solar midnight, centred on 18:00; noon on 12:00.
 */
public final class SolarCalculator {

    /** Polar night lasts under six months even at the pole; a year and a bit covers every case. */
    public static final int LOOKAHEAD_DAYS = 370;

    private static final long DAY_SECONDS = 86_400;

    private SolarCalculator() {
    }

    /** First occurrence strictly after {@code after}, or empty if none within {@link #LOOKAHEAD_DAYS}. */
    public static Optional<Instant> nextAfter(SolarEvent event, double latitude, double longitude, Instant after) {
        try {
            long firstWindowStart = windowOrigin(event, longitude);
            long day = Math.floorDiv(after.getEpochSecond() - firstWindowStart, DAY_SECONDS);
            for (int i = 0; i <= LOOKAHEAD_DAYS; i++) {
                Instant windowStart = Instant.ofEpochSecond(firstWindowStart + (day + i) * DAY_SECONDS);
                Instant found = eventIn(event, latitude, longitude, windowStart);
                if (found != null && found.isAfter(after)) {
                    return Optional.of(found);
                }
            }
            return Optional.empty();
        } catch (DateTimeException | ArithmeticException e) {
            // Only near Instant.MIN/MAX, where no scheduler waits for a sunrise.
            return Optional.empty();
        }
    }

    /** Start (epoch second) of the window for the day containing the epoch. */
    private static long windowOrigin(SolarEvent event, double longitude) {
        long localMeanMidnight = -Math.round(longitude * 240.0); // 360° = 86400 s, so 240 s per degree
        long centreShift = switch (event) {
            case SUNRISE, DAWN_CIVIL, DAWN_NAUTICAL, DAWN_ASTRONOMICAL -> -6 * 3600;
            case SUNSET, DUSK_CIVIL, DUSK_NAUTICAL, DUSK_ASTRONOMICAL -> 6 * 3600;
            case SOLAR_NOON -> 0;
        };
        return localMeanMidnight + centreShift;
    }

    private static Instant eventIn(SolarEvent event, double latitude, double longitude, Instant windowStart) {
        if (event == SolarEvent.SOLAR_NOON) {
            // Meridian transit depends on longitude only. suncalc's noon is the altitude maximum in the
            // window, which near the poles (altitude almost flat over the day) can sit on the window
            // edge; on the equator the maximum is always sharp and lies at the transit.
            SunTimes times = SunTimes.compute().on(windowStart).at(0.0, longitude)
                    .limit(Duration.ofDays(1)).execute();
            return toInstant(times.getNoon());
        }
        SunTimes times = SunTimes.compute().on(windowStart).at(latitude, longitude)
                .twilight(twilight(event)).limit(Duration.ofDays(1)).execute();
        ZonedDateTime time = switch (event) {
            case SUNRISE, DAWN_CIVIL, DAWN_NAUTICAL, DAWN_ASTRONOMICAL -> times.getRise();
            default -> times.getSet();
        };
        return toInstant(time);
    }

    private static SunTimes.Twilight twilight(SolarEvent event) {
        return switch (event) {
            case SUNRISE, SUNSET, SOLAR_NOON -> SunTimes.Twilight.VISUAL;
            case DAWN_CIVIL, DUSK_CIVIL -> SunTimes.Twilight.CIVIL;
            case DAWN_NAUTICAL, DUSK_NAUTICAL -> SunTimes.Twilight.NAUTICAL;
            case DAWN_ASTRONOMICAL, DUSK_ASTRONOMICAL -> SunTimes.Twilight.ASTRONOMICAL;
        };
    }

    private static Instant toInstant(ZonedDateTime time) {
        return time == null ? null : time.toInstant().truncatedTo(ChronoUnit.SECONDS);
    }
}
