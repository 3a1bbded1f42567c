package io.taskq.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as handed to a broker. The broker routes on these fields and stores {@code body} as opaque text;
 * only the core decodes the body (see docs/protocol.md).
 *
 * @param id       task id, unique within its queue; enqueueing a known id again is a no-op
 * @param queue    queue name: not blank, no control characters
 * @param task     task name (for inspection and dead letters): not blank, no control characters
 * @param priority 0 (lowest) to 9 (highest)
 * @param eta      earliest run time, or null to run as soon as possible
 * @param body     the encoded envelope
 */
public record TaskMessage(String id, String queue, String task, int priority, Instant eta, String body) {

    /** Lowest priority. */
    public static final int MIN_PRIORITY = 0;
    /** Highest priority. */
    public static final int MAX_PRIORITY = 9;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the queue or task name is blank or holds a control character, or the
     *                                  priority is out of range
     */
    public TaskMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(body, "body");
        io.taskq.internal.Names.check("queue", queue);
        io.taskq.internal.Names.check("task name", task);
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be 0..9, was " + priority);
        }
    }
}
