package io.taskq.scheduler.internal;

import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which runs of an entry to publish now: a pure function of the schedule, the stored next run, the time and the
 * missed-run policy, so that every leader that reads the same stored state makes the same decision (and the same
 * run ids).
 */
public final class DueRuns {

    /**
     * The decision.
     *
     * @param runs    scheduled instants to publish now, oldest first
     * @param next    the next scheduled instant after them, or null if the schedule will not fire again
     * @param dropped whether some due runs were dropped (missed-run policy, or more than the batch limit)
     */
    public record Plan(List<Instant> runs, Instant next, boolean dropped) {
        /** Copies the list. */
        public Plan {
            runs = List.copyOf(runs);
        }
    }

    private DueRuns() {
    }

    /**
     * Plans the runs due at {@code now}.
     *
     * @param due      the stored next run; not after {@code now}
     * @param grace    runs older than {@code now - grace} are missed, younger ones merely late
     * @param maxRuns  at most this many runs in one plan, a guard against a tiny interval flooding the broker
     */
    public static Plan plan(Schedule schedule, Instant due, Instant now, Duration grace, MissedRunPolicy policy,
                            int maxRuns) {
        Instant lateBound = now.minus(grace);
        List<Instant> runs = new ArrayList<>();
        boolean dropped = false;
        Instant cur = due;
        if (cur.isBefore(lateBound)) {
            switch (policy.kind()) {
                case RUN_ONCE -> {
                    // The earliest missed instant names the run, so two leaders racing over one gap agree on it.
                    runs.add(cur);
                    cur = next(schedule, cur);
                }
                case RUN_ALL -> {
                    while (cur != null && cur.isBefore(lateBound) && runs.size() < Math.min(policy.cap(), maxRuns)) {
                        runs.add(cur);
                        cur = next(schedule, cur);
                    }
                }
                case SKIP -> {
                }
            }
            if (cur != null && cur.isBefore(lateBound)) {
                dropped = policy.kind() != MissedRunPolicy.Kind.RUN_ONCE;
                // Jump over the remaining missed runs instead of walking them: a one-second interval after a week
                // of downtime would otherwise be 600,000 steps.
                cur = next(schedule, lateBound.minusNanos(1));
            }
        }
        while (cur != null && !cur.isAfter(now)) {
            if (runs.size() >= maxRuns) {
                dropped = true;
                cur = next(schedule, now);
                break;
            }
            runs.add(cur);
            cur = next(schedule, cur);
        }
        return new Plan(runs, cur, dropped);
    }

    /**
     * The first run of an entry that is (re-)enabled, created or rescheduled at {@code now}: the first fire after
     * now and not before the start time. A clocked schedule that never ran fires at its instant even if that has
     * passed (Celery and django-celery-beat do the same), subject to the missed-run policy.
     *
     * @param neverRan whether the entry has never run
     */
    public static Instant firstRun(Schedule schedule, Instant startTime, Instant now, boolean neverRan) {
        Optional<Instant> clocked = clockedAt(schedule);
        if (clocked.isPresent() && neverRan) {
            Instant at = clocked.get();
            return startTime != null && at.isBefore(startTime) ? null : at;
        }
        Instant after = startTime != null && startTime.isAfter(now) ? startTime.minusNanos(1) : now;
        return next(schedule, after);
    }

    /** The instant of a clocked schedule, empty for other kinds. */
    public static Optional<Instant> clockedAt(Schedule schedule) {
        ScheduleSpec spec = schedule.toSpec();
        return "clocked".equals(spec.kind()) ? Optional.of(Instant.parse(spec.at())) : Optional.empty();
    }

    private static Instant next(Schedule schedule, Instant after) {
        return schedule.nextFireAfter(after).orElse(null);
    }
}
