package io.taskq.spi;

import java.util.Objects;

/**
 * Where a broker found a task when asked by id ({@link Broker#locate}): its queue, the place it sits in, and its
 * stored record if one is kept.
 *
 * @param id     task id
 * @param queue  the queue that knows the id (the logical queue, never a partition)
 * @param place  where the task is
 * @param task   task name, when known
 * @param record the stored record, or null if none is kept (a queued or delayed task has none until a worker
 *               claims it); for a dead letter whose record expired, a FAILURE record made from the dead letter
 */
public record TaskLocation(String id, String queue, Place place, String task, TaskRecord record) {

    /** Where a task sits. */
    public enum Place {
        /** Waiting in the queue, ready to be claimed. */
        QUEUED,
        /** Waiting for its ETA, countdown or retry back-off. */
        DELAYED,
        /** Claimed by a worker (RECEIVED or STARTED). */
        RUNNING,
        /** Gone from the queue; only its record is kept (until the result retention ends). */
        FINISHED,
        /** In the queue's dead letters. */
        DEAD
    }

    /** Validates the required fields. */
    public TaskLocation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(place, "place");
    }
}
