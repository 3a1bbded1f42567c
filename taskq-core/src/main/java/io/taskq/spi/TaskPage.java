package io.taskq.spi;

import java.util.List;
import java.util.Objects;

/**
 * One page of a {@link QueueAdmin#tasks} listing.
 *
 * @param tasks the tasks of the page, in the listing's order
 * @param next  the cursor of the next page, or null if this page is the last
 */
public record TaskPage(List<TaskSummary> tasks, String next) {

    /**
     * The order of a listing. Oldest first means the order the broker keeps each place in: QUEUED in claim order
     * (higher priority first, first in first out within a priority), DELAYED by due time, RUNNING by lease deadline,
     * FINISHED by the time the record expires (its finish plus the result retention), DEAD by the time it was
     * dead-lettered. Tasks with the same time come in a stable order of the broker's choosing. Newest first is the
     * reverse. A partitioned queue's partitions are merged by that order (QUEUED: by priority, then by place in
     * each partition's line, which is first in first out within a partition only).
     */
    public enum Order {
        /** The order the broker keeps: for QUEUED the next task to run first. */
        OLDEST_FIRST,
        /** The reverse. */
        NEWEST_FIRST
    }

    /** Validates and copies the list. */
    public TaskPage {
        tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
    }
}
