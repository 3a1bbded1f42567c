package io.taskq.scheduler;

import io.taskq.scheduler.internal.SolarCalculator;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Fires on a solar event at a place; see {@link Schedule#solar(SolarEvent, double, double)}. */
record SolarSchedule(SolarEvent event, double latitude, double longitude) implements Schedule {

    SolarSchedule {
        Objects.requireNonNull(event, "event");
        if (!(latitude >= -90.0 && latitude <= 90.0)) {
            throw new IllegalArgumentException("latitude must be within [-90, 90], got " + latitude);
        }
        if (!(longitude >= -180.0 && longitude <= 180.0)) {
            throw new IllegalArgumentException("longitude must be within [-180, 180], got " + longitude);
        }
    }

    @Override
    public Optional<Instant> nextFireAfter(Instant after) {
        return SolarCalculator.nextAfter(event, latitude, longitude, Objects.requireNonNull(after, "after"));
    }

    @Override
    public String describe() {
        return event.specName() + " at latitude " + latitude + ", longitude " + longitude;
    }

    @Override
    public ScheduleSpec toSpec() {
        return new ScheduleSpec(SpecReader.SOLAR, null, null, null, null, null, event.specName(),
                Double.toString(latitude), Double.toString(longitude));
    }

    @Override
    public String toString() {
        return describe();
    }
}
