package io.taskq.scheduler;

import java.time.Instant;

/**
 * What a {@link Scheduler} does, for metrics and alerts (a Micrometer counter per method, the publish lag as a
 * timer, an alert on missed runs or on no leader). Register with {@link Scheduler.Builder#listener}. Methods are
 * called on the scheduler's own thread (or, for {@link #runPublished} of a run-now, on the caller's), so they must
 * return quickly; an exception thrown by a listener is logged and does not disturb the scheduler.
 */
public interface SchedulerListener {

    /** This instance took the scheduler lease ({@code leader} true) or lost it (false). */
    default void leadershipChanged(String instanceId, boolean leader) {
    }

    /**
     * A run was published and the entry's state saved (so each run is reported once, by the instance that saved
     * it). {@code publishedAt} minus {@code dueAt} is the publish lag; for a run-now both are the same instant.
     */
    default void runPublished(String entry, String runId, Instant dueAt, Instant publishedAt) {
    }

    /** Runs of {@code entry} due from {@code from} up to {@code until} were dropped by its {@link MissedRunPolicy}. */
    default void runsMissed(String entry, Instant from, Instant until, MissedRunPolicy policy) {
    }

    /** The run due at {@code dueAt} was skipped because {@code runningRunId} has not finished (skip-if-running). */
    default void runSkipped(String entry, Instant dueAt, String runningRunId) {
    }

    /** An iteration failed (store or broker unreachable, say); it is retried after {@code maxSleep}. */
    default void iterationFailed(Throwable error) {
    }
}
