package io.taskq.scheduler;

import java.util.Objects;

/**
 * What a periodic task does when a leader finds more than one of its runs due, or its only due run old: after all
 * instances were down, a leader failover, or a stalled leader. Of the due runs, the most recent one is
 * <em>late</em> when it is at most the scheduler's {@linkplain Scheduler.Builder#misfireGrace misfire grace}
 * (default one minute) old; it is the current occurrence and every policy publishes it. All the other due runs are
 * <em>missed</em>: superseded by a later due run, or (the most recent one) older than the grace.
 *
 * <ul>
 *   <li>{@link #runOnce()} (the default, as Celery beat, db-scheduler and Quartz's "fire once now"): one run stands
 *       for all due runs, missed and late. Its run id is that of the earliest due run, so two leaders racing over
 *       the same gap still publish it once.</li>
 *   <li>{@link #skip()} (Quartz "do nothing", JobRunr OSS): missed runs are dropped; only the late run, if any, is
 *       published.</li>
 *   <li>{@link #runAll(int)} (Quartz "ignore misfire"): every missed run is published, oldest first, at most
 *       {@code cap} of them (the rest are dropped and logged), and the late run.</li>
 * </ul>
 *
 * <p>In every case the next run is the schedule's first fire after now.
 *
 * @param kind the policy
 * @param cap  for {@link Kind#RUN_ALL}, the most missed runs published at once; 1 for the others
 */
public record MissedRunPolicy(Kind kind, int cap) {

    /** The policies. */
    public enum Kind {
        /** One run now for any number of due runs. */
        RUN_ONCE,
        /** No run for missed runs; the late run is published. */
        SKIP,
        /** One run for each missed run, up to a cap, and the late run. */
        RUN_ALL
    }

    private static final MissedRunPolicy RUN_ONCE = new MissedRunPolicy(Kind.RUN_ONCE, 1);
    private static final MissedRunPolicy SKIP = new MissedRunPolicy(Kind.SKIP, 1);

    /** Checks the fields. */
    public MissedRunPolicy {
        Objects.requireNonNull(kind, "kind");
        if (cap < 1) {
            throw new IllegalArgumentException("missed-run cap must be at least 1, was " + cap);
        }
        if (kind != Kind.RUN_ALL && cap != 1) {
            throw new IllegalArgumentException("only RUN_ALL takes a cap");
        }
    }

    /** One run now for any number of due runs, missed or late (the default). */
    public static MissedRunPolicy runOnce() {
        return RUN_ONCE;
    }

    /** No run for missed runs; only the late run, if there is one. */
    public static MissedRunPolicy skip() {
        return SKIP;
    }

    /** One run for each missed run, the oldest {@code cap} of them, and one for the late run. */
    public static MissedRunPolicy runAll(int cap) {
        return new MissedRunPolicy(Kind.RUN_ALL, cap);
    }

    @Override
    public String toString() {
        return kind == Kind.RUN_ALL ? "run all (at most " + cap + ")" : kind == Kind.SKIP ? "skip" : "run once";
    }
}
