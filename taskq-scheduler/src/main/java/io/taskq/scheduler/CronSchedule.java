package io.taskq.scheduler;

import io.taskq.scheduler.internal.CronExpression;
import io.taskq.scheduler.internal.CronTimeline;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/** Cron on the wall clock of a zone; see {@link Schedule#cron(String, ZoneId)}. */
final class CronSchedule implements Schedule {

    private final CronExpression expression;
    private final ZoneId zone;

    CronSchedule(CronExpression expression, ZoneId zone) {
        this.expression = Objects.requireNonNull(expression, "expression");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public Optional<Instant> nextFireAfter(Instant after) {
        return CronTimeline.nextFireAfter(expression, zone, Objects.requireNonNull(after, "after"));
    }

    @Override
    public String describe() {
        return "cron \"" + expression.expression() + "\" in " + zone.getId();
    }

    @Override
    public ScheduleSpec toSpec() {
        return new ScheduleSpec(SpecReader.CRON, expression.expression(), zone.getId(),
                null, null, null, null, null, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule other && expression.equals(other.expression) && zone.equals(other.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return describe();
    }
}
