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
final class DueRuns {

    /**
     * The decision.
     *
     * @param runs    scheduled instants to publish now, oldest first
     * @param next    the next scheduled instant after them, or null if the schedule will not fire again
     * @param dropped whether some due runs were dropped (missed-run policy, or more than the batch limit)
     */
    record Plan(List<Instant> runs, Instant next, boolean dropped) {
        /** Copies the list. */
        Plan {
            runs = List.copyOf(runs);
        }
    }

    private DueRuns() {
    }

    /**
     * Plans the runs due at {@code now}. Of the due runs (scheduled at or before now, not yet published) the most
     * recent one is <em>late</em> when it is at most {@code grace} old: it is the current occurrence, published under
     * every policy. All the others are <em>missed</em>: superseded by a later due run (the scheduler was down or
     * behind by at least one period), or, for the most recent one, older than the grace. The policy decides:
     * {@code RUN_ONCE} publishes one run for all due runs, named after the earliest; {@code SKIP} publishes only the
     * late run, if there is one; {@code RUN_ALL} publishes the oldest {@code cap} missed runs and the late one.
     *
     * @param due      the stored next run, a fire of the schedule; not after {@code now}
     * @param grace    how old the most recent due run may be and still count as late rather than missed
     * @param maxRuns  at most this many runs in one plan, a guard against a tiny interval flooding the broker
     */
    static Plan plan(Schedule schedule, Instant due, Instant now, Duration grace, MissedRunPolicy policy,
                            int maxRuns) {
        Instant latest = latestFire(schedule, due, now);
        boolean late = !latest.isBefore(now.minus(grace));
        boolean missed = !late || latest.isAfter(due);
        List<Instant> runs = new ArrayList<>();
        boolean dropped = false;
        switch (policy.kind()) {
            // The earliest due instant names the run, so two leaders racing over one gap agree on it.
            case RUN_ONCE -> runs.add(due);
            case SKIP -> {
                if (late) {
                    runs.add(latest);
                }
                dropped = missed;
            }
            case RUN_ALL -> {
                int cap = Math.min(policy.cap(), maxRuns - (late ? 1 : 0));
                Instant cur = due;
                while (cur != null && isMissed(cur, latest, late) && runs.size() < cap) {
                    runs.add(cur);
                    cur = next(schedule, cur);
                }
                dropped = cur != null && isMissed(cur, latest, late);
                if (late) {
                    runs.add(latest);
                }
            }
        }
        // Jump over everything due instead of walking it: a one-second interval after a week of downtime would
        // otherwise be 600,000 steps.
        return new Plan(runs, next(schedule, now), dropped);
    }

    private static boolean isMissed(Instant run, Instant latest, boolean late) {
        return late ? run.isBefore(latest) : !run.isAfter(latest);
    }

    /**
     * The most recent fire in {@code [due, now]}, found by probing windows ending at now that double in length, so
     * that neither a tiny interval nor a long downtime is walked fire by fire.
     */
    private static Instant latestFire(Schedule schedule, Instant due, Instant now) {
        Duration span = Duration.ofMillis(1);
        while (true) {
            Instant from = now.minus(span);
            if (!from.isAfter(due)) {
                return lastNotAfter(schedule, due, now);
            }
            Instant first = next(schedule, from.minusNanos(1));
            if (first != null && !first.isAfter(now)) {
                return lastNotAfter(schedule, first, now);
            }
            span = span.multipliedBy(2);
        }
    }

    /** Walks from a fire to the last fire not after {@code now}; the probe above keeps this to a few steps. */
    private static Instant lastNotAfter(Schedule schedule, Instant fire, Instant now) {
        Instant cur = fire;
        for (int i = 0; i < 100_000; i++) {
            Instant n = next(schedule, cur);
            if (n == null || n.isAfter(now)) {
                return cur;
            }
            cur = n;
        }
        return cur;
    }

    /**
     * The first run of an entry that is (re-)enabled, created or rescheduled at {@code now}: the first fire after
     * now and not before the start time. A clocked schedule that never ran fires at its instant even if that has
     * passed (Celery and django-celery-beat do the same), subject to the missed-run policy.
     *
     * @param neverRan whether the entry has never run
     */
    static Instant firstRun(Schedule schedule, Instant startTime, Instant now, boolean neverRan) {
        Optional<Instant> clocked = clockedAt(schedule);
        if (clocked.isPresent() && neverRan) {
            Instant at = clocked.get();
            return startTime != null && at.isBefore(startTime) ? null : at;
        }
        Instant after = startTime != null && startTime.isAfter(now) ? startTime.minusNanos(1) : now;
        return next(schedule, after);
    }

    /** The instant of a clocked schedule, empty for other kinds. */
    static Optional<Instant> clockedAt(Schedule schedule) {
        ScheduleSpec spec = schedule.toSpec();
        return "clocked".equals(spec.kind()) ? Optional.of(Instant.parse(spec.at())) : Optional.empty();
    }

    private static Instant next(Schedule schedule, Instant after) {
        return schedule.nextFireAfter(after).orElse(null);
    }
}
