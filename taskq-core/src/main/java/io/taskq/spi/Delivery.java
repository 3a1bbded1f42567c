package io.taskq.spi;

import java.util.Objects;

/**
 * A message claimed by a worker, with the lease that lets the worker finish it.
 *
 * @param id       task id
 * @param queue    queue name
 * @param task     task name, as enqueued
 * @param priority priority, as enqueued
 * @param body     the envelope as stored (the latest retry's, if it was retried)
 * @param attempt  how many times this task has been claimed, this claim included; counted by the broker, so
 *                 crashes count too
 * @param token    fencing token of this claim: a finish or renew with an older token is rejected
 */
public record Delivery(String id, String queue, String task, int priority, String body, int attempt, long token) {

    /** Validates the fields. */
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(body, "body");
    }
}
