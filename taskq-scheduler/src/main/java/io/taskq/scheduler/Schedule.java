package io.taskq.scheduler;

import io.taskq.scheduler.internal.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When a periodic task fires: a pure function from "the last moment considered" to the next fire
 * instant. Schedules are immutable values with {@code equals}; they do no I/O and read no clock, so
 * every scheduler node computes the same fires from the same input.
 *
 * <p>Four kinds, created by the static factories: {@link #every(Duration, Instant) interval},
 * {@link #cron(String, ZoneId) cron}, {@link #clocked(Instant) clocked} (once) and
 * {@link #solar(SolarEvent, double, double) solar}. {@link #toSpec()} and
 * {@link #fromSpec(ScheduleSpec)} convert to and from a flat, JSON-friendly form for storage.
 *
 * <p>Cron schedules follow wall-clock time in their zone; the DST rules are described in
 * {@code docs/scheduling.md} ("Time zones and daylight saving time"). Interval, clocked and solar schedules are absolute time and never affected by DST.
 */
public sealed interface Schedule permits CronSchedule, IntervalSchedule, ClockedSchedule, SolarSchedule {

    /**
     * The first fire instant strictly after {@code after}.
     *
     * @return empty when the schedule will not fire again: a clocked schedule already past, or a
     *         solar event that does not occur within the next 370 days. Never throws for a non-null
     *         argument.
     */
    Optional<Instant> nextFireAfter(Instant after);

    /** A human readable description, e.g. {@code cron "30 2 * * *" in Europe/London}. */
    String describe();

    /** The storable form; {@code Schedule.fromSpec(s.toSpec()).equals(s)} holds for every schedule. */
    ScheduleSpec toSpec();

    /**
     * Fires every {@code every}, aligned to the Unix epoch: {@code every(Duration.ofHours(1))} fires at
     * the start of every UTC hour, on every node, regardless of when the schedule was created.
     *
     * @throws IllegalArgumentException if {@code every} is not positive
     */
    static Schedule every(Duration every) {
        return every(every, Instant.EPOCH);
    }

    /**
     * Fires at {@code anchor + k * every} for k = 0, 1, 2, ...: absolute time, so a 24-hour interval
     * shifts by an hour in local time across a DST change. The anchor is the first fire.
     *
     * @throws IllegalArgumentException if {@code every} is not positive
     */
    static Schedule every(Duration every, Instant anchor) {
        return new IntervalSchedule(every, anchor);
    }

    /**
     * A cron schedule in UTC.
     *
     * @see #cron(String, ZoneId)
     */
    static Schedule cron(String expression) {
        return cron(expression, ZoneId.of("UTC"));
    }

    /**
     * A cron schedule evaluated on the wall clock of {@code zone}.
     *
     * <p>Five fields ({@code minute hour day-of-month month day-of-week}) or six with a leading
     * seconds field. Supported: {@code *}, values, ranges {@code 1-5}, lists {@code 1,15}, steps
     * {@code *}/15, {@code 1-30/5} and {@code 5/15}, month names {@code JAN}..{@code DEC}, day names
     * {@code SUN}..{@code SAT} (any case), {@code L} and {@code L-n} (last / n-th before last day) in
     * day-of-month, {@code ?} in either day field. Day-of-week 0 and 7 are both Sunday, and {@code SUN} is Sunday
     * at either end of a range ({@code SUN-TUE}, {@code FRI-SUN}); ranges do not wrap around.
     *
     * <p>When both day-of-month and day-of-week are restricted (neither is {@code *} or {@code ?}),
     * the schedule fires on days matching EITHER, as Vixie cron and POSIX specify:
     * {@code 0 0 1 * MON} fires on the 1st and on every Monday. Unlike Vixie cron, a field such as
     * {@code *}/2 counts as restricted.
     *
     * @throws IllegalArgumentException naming the problem and quoting the field as written, also when the
     *                                  expression can never fire
     *                                  (e.g. {@code 0 0 30 2 *})
     */
    static Schedule cron(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return new CronSchedule(CronExpression.parse(expression), zone);
    }

    /** Fires once, at {@code at}. */
    static Schedule clocked(Instant at) {
        return new ClockedSchedule(at);
    }

    /**
     * Fires on a solar event at a place. On days the event does not happen (polar day or night, or
     * no astronomical dusk on a northern summer night) it does not fire and the next day with the
     * event is used.
     *
     * @throws IllegalArgumentException unless latitude is in [-90, 90] and longitude in [-180, 180]
     */
    static Schedule solar(SolarEvent event, double latitude, double longitude) {
        return new SolarSchedule(event, latitude, longitude);
    }

    /**
     * Rebuilds a schedule from its stored form.
     *
     * @throws IllegalArgumentException with a message naming the offending field when the spec is
     *                                  invalid, incomplete or carries fields its kind does not use
     */
    static Schedule fromSpec(ScheduleSpec spec) {
        return SpecReader.read(spec);
    }
}
