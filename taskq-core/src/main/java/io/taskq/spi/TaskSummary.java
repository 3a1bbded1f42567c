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
 * @param rootId   the id of the first task of the workflow it belongs to: the {@code root_id} header of the message
 *                 the queue holds (QUEUED, DELAYED, RUNNING), else the record's {@link TaskRecord#rootId()}; null
 *                 when the task is its own root or the broker does not know (see {@link #root()})
 */
public record TaskSummary(String id, String queue, TaskLocation.Place place, String task, Integer priority,
                          Instant at, TaskRecord record, String rootId) {

    /** Validates the required fields; a root equal to the task's own id is kept as null ("its own root"). */
    public TaskSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(place, "place");
        if (rootId == null && record != null) {
            rootId = record.rootId();
        }
        if (id.equals(rootId)) {
            rootId = null;
        }
    }

    /** A summary whose root, if any, is its record's. */
    public TaskSummary(String id, String queue, TaskLocation.Place place, String task, Integer priority, Instant at,
                       TaskRecord record) {
        this(id, queue, place, task, priority, at, record, null);
    }

    /** The id of the workflow's first task: {@link #rootId()}, or this task's own id when that is null. */
    public String root() {
        return rootId != null ? rootId : id;
    }
}
