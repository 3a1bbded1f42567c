package io.taskq.scheduler;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A periodic task entry as stored: its definition plus what the scheduler keeps about it.
 *
 * @param task          the definition
 * @param nextRunAt     the next scheduled run; null when disabled or when the schedule will not fire again
 * @param lastRunAt     when the last run was published (by schedule or by hand); null if never
 * @param lastRunId     the task id of the last run; null if never. Scheduled runs have the id
 *                      {@code sched:<entry>:<scheduled epoch millis>}
 * @param totalRunCount how many runs were published, by schedule and by hand
 * @param createdAt     when the entry was created
 * @param updatedAt     when its definition last changed
 */
public record PeriodicTaskInfo(PeriodicTask task, Instant nextRunAt, Instant lastRunAt, String lastRunId,
                               long totalRunCount, Instant createdAt, Instant updatedAt) {

    /** Checks the required fields. */
    public PeriodicTaskInfo {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The entry's name. */
    public String name() {
        return task.name();
    }

    /** The next scheduled run, if any. */
    public Optional<Instant> nextRun() {
        return Optional.ofNullable(nextRunAt);
    }
}
