package io.taskq.scheduler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a periodic task entry next to a {@link io.taskq.Task @Task} method; the scheduler upserts it on every
 * start ({@link Scheduler.Builder#declare(Object...)}). Exactly one of {@link #cron()}, {@link #every()} and
 * {@link #solar()} must be set.
 *
 * <pre>{@code
 * class Reports {
 *     @Task(name = "reports.daily")
 *     @Periodic(cron = "0 7 * * MON-FRI", zone = "Europe/London", args = "[\"sales\"]")
 *     public void daily(String team) { ... }
 * }
 * }</pre>
 *
 * <p>Repeatable, for the same task on several schedules or with several argument lists; each needs its own
 * {@link #name()} then.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Periodic.List.class)
public @interface Periodic {

    /** Unique entry name; defaults to the task name. Keep it stable: it is part of each run's task id. */
    String name() default "";

    /** A cron expression, see {@link Schedule#cron(String, java.time.ZoneId)}. */
    String cron() default "";

    /** The time zone of {@link #cron()}, an IANA id. */
    String zone() default "UTC";

    /**
     * An interval: {@code "30s"}, {@code "5m"}, {@code "2h"}, {@code "1d"}, {@code "500ms"} or ISO-8601
     * ({@code "PT15M"}); aligned to the Unix epoch, see {@link Schedule#every(java.time.Duration)}.
     */
    String every() default "";

    /** A solar event name such as {@code "sunset"} (see {@link SolarEvent}); needs latitude and longitude. */
    String solar() default "";

    /** Degrees north, for {@link #solar()}. */
    double latitude() default Double.NaN;

    /** Degrees east, for {@link #solar()}. */
    double longitude() default Double.NaN;

    /** The arguments as a JSON array. */
    String args() default "[]";

    /** The queue; empty for the task's default. */
    String queue() default "";

    /** The priority 0..9; -1 for the task's default. */
    int priority() default -1;

    /** How long each run may wait before it expires unrun (a duration as in {@link #every()}); empty for none. */
    String expires() default "";

    /** Whether the entry is enabled when first created or when this declaration changes. */
    boolean enabled() default true;

    /** Free text for people. */
    String description() default "";

    /** What to do about runs missed while no scheduler ran. */
    MissedRunPolicy.Kind missedRuns() default MissedRunPolicy.Kind.RUN_ONCE;

    /** For {@link MissedRunPolicy.Kind#RUN_ALL}: the most missed runs published at once. */
    int missedRunCap() default 10;

    /** Whether runs may overlap. */
    OverlapPolicy overlap() default OverlapPolicy.ALLOW;

    /** Several {@link Periodic} on one method. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        /** The declarations. */
        Periodic[] value();
    }
}
