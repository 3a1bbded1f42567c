package io.taskq.scheduler;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Fires once; see {@link Schedule#clocked(Instant)}. */
record ClockedSchedule(Instant at) implements Schedule {

    ClockedSchedule {
        Objects.requireNonNull(at, "at");
    }

    @Override
    public Optional<Instant> nextFireAfter(Instant after) {
        return at.isAfter(Objects.requireNonNull(after, "after")) ? Optional.of(at) : Optional.empty();
    }

    @Override
    public String describe() {
        return "once at " + at;
    }

    @Override
    public ScheduleSpec toSpec() {
        return new ScheduleSpec(SpecReader.CLOCKED, null, null, null, null, at.toString(), null, null, null);
    }

    @Override
    public String toString() {
        return describe();
    }
}
