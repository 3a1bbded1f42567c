package io.taskq;

/**
 * Counts of one queue's tasks at one moment.
 *
 * @param queue    queue name
 * @param ready    tasks waiting for a worker
 * @param delayed  tasks waiting for their ETA, countdown or retry backoff
 * @param inFlight tasks claimed by workers
 * @param dead     tasks in the dead-letter set
 */
public record QueueStats(String queue, long ready, long delayed, long inFlight, long dead) {
}
