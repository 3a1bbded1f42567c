package io.taskq.scheduler;

import java.util.Objects;

/**
 * What a periodic task does about runs that were due while no scheduler was publishing (all instances down, or the
 * entry's leader gone for longer than the misfire grace). A due run counts as <em>missed</em> when it is older
 * than the scheduler's {@linkplain Scheduler.Builder#misfireGrace misfire grace} (default one minute) by the time
 * a leader sees it; younger runs are merely late and are always published.
 *
 * <ul>
 *   <li>{@link #runOnce()} (the default, as Celery beat, db-scheduler and Quartz's "fire once now"): one run now
 *       stands for all missed ones. Its run id is that of the earliest missed run, so two leaders racing over the
 *       same gap still publish it once.</li>
 *   <li>{@link #skip()} (Quartz "do nothing", JobRunr OSS): missed runs are dropped; the next run is the next
 *       future one.</li>
 *   <li>{@link #runAll(int)} (Quartz "ignore misfire"): every missed run is published, oldest first, at most
 *       {@code cap} of them; the rest are dropped and logged.</li>
 * </ul>
 *
 * @param kind the policy
 * @param cap  for {@link Kind#RUN_ALL}, the most missed runs published at once; 1 for the others
 */
public record MissedRunPolicy(Kind kind, int cap) {

    /** The policies. */
    public enum Kind {
        /** One run now for any number of missed runs. */
        RUN_ONCE,
        /** No run for missed runs. */
        SKIP,
        /** One run for each missed run, up to a cap. */
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

    /** One run now for any number of missed runs (the default). */
    public static MissedRunPolicy runOnce() {
        return RUN_ONCE;
    }

    /** No run for missed runs. */
    public static MissedRunPolicy skip() {
        return SKIP;
    }

    /** One run for each missed run, the oldest {@code cap} of them. */
    public static MissedRunPolicy runAll(int cap) {
        return new MissedRunPolicy(Kind.RUN_ALL, cap);
    }

    @Override
    public String toString() {
        return kind == Kind.RUN_ALL ? "run all (at most " + cap + ")" : kind == Kind.SKIP ? "skip" : "run once";
    }
}
