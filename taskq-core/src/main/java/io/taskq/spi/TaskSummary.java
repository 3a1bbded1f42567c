package io.taskq.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A task as a {@link QueueAdmin#tasks} listing shows it: what the broker keeps about it without its body.
 *
 * @param id       task id
 * @param queue    the logical queue
 * @param place    where it is
 * @param task     task name, or null if the broker holds none for it (a damaged entry)
 * @param priority priority 0..9, or null where the broker no longer keeps it (FINISHED)
 * @param at       the time the listing is ordered by: DELAYED its due time, RUNNING its lease deadline, FINISHED
 *                 the time its record expires, DEAD the time it was dead-lettered; null for QUEUED
 * @param record   the stored record, or null if none is kept (a task that was never claimed has none); for a dead
 *                 letter whose record expired, a FAILURE record made from the dead letter
 */
public record TaskSummary(String id, String queue, TaskLocation.Place place, String task, Integer priority,
                          Instant at, TaskRecord record) {

    /** Validates the required fields. */
    public TaskSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(place, "place");
    }
}
