package io.taskq.scheduler;

/**
 * Whether a periodic task may start a run while its previous run is not finished.
 */
public enum OverlapPolicy {
    /** Every due run is published, whatever the previous one is doing (Celery beat's behaviour). */
    ALLOW,
    /**
     * A due run is skipped (and logged) while the previous run of the same entry is queued, received, started or
     * waiting for a retry, as JobRunr and Quartz's {@code @DisallowConcurrentExecution} do. The next due run is
     * checked again. A previous run whose state is unknown (PENDING) for longer than the scheduler's
     * {@linkplain Scheduler.Builder#overlapLookback overlap look-back} is presumed gone, so that a run whose
     * record expired cannot block the entry forever.
     */
    SKIP_IF_RUNNING
}
