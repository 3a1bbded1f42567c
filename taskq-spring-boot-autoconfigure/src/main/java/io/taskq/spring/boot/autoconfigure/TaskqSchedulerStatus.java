package io.taskq.spring.boot.autoconfigure;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the health indicator and the {@code taskq} endpoint show of this instance's scheduler; implemented by
 * {@link TaskqSchedulerRunner}, so that neither needs {@code taskq-scheduler} on the classpath.
 */
public interface TaskqSchedulerStatus {

    /** Whether the scheduler runs here (started and not stopped). */
    boolean isRunning();

    /** Whether this instance holds the leader lease and publishes. */
    boolean isLeader();

    /** This instance's id in the lease. */
    String instanceId();

    /** The instance holding the leader lease now, if any and if the lease store says. */
    Optional<String> leader();

    /** The entries, in the store's order. */
    List<Entry> entries();

    /**
     * A periodic task entry.
     *
     * @param name          the entry's name
     * @param task          the task it submits
     * @param schedule      the schedule, described
     * @param enabled       whether it runs
     * @param nextRunAt     the next run, or null
     * @param lastRunAt     the last published run, or null
     * @param totalRunCount runs published so far
     */
    record Entry(String name, String task, String schedule, boolean enabled, Instant nextRunAt, Instant lastRunAt,
                 long totalRunCount) {
    }
}
