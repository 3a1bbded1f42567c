package io.taskq;

import java.time.Duration;
import java.util.Objects;

/**
 * Counts of one queue's tasks at one moment, and how long its next tasks have waited.
 *
 * @param queue          queue name
 * @param ready          tasks waiting for a worker
 * @param delayed        tasks waiting for their ETA, countdown or retry backoff
 * @param inFlight       tasks claimed by workers
 * @param dead           tasks in the dead-letter set
 * @param oldestReadyAge how long the longest-waiting of the tasks at the head of the queue has been ready (Celery's
 *                       and Sidekiq's "queue latency"), {@link Duration#ZERO} when no task is ready. A task counts
 *                       from when it became runnable: its message's {@code sent_at}, or its {@code eta} when that is
 *                       later (a delayed task, a retry), so a task that waited for its ETA does not look old. Only
 *                       the head of each priority band (and partition) is read, the task a worker claims next from
 *                       it: bounded work on any queue; a task further back that is older than its band's head (one
 *                       whose lease expired, which keeps its place in line) is not seen. Tasks whose message says
 *                       neither time (senders other than taskq) do not count
 */
public record QueueStats(String queue, long ready, long delayed, long inFlight, long dead, Duration oldestReadyAge) {

    /** Checks the age: never null, never negative. */
    public QueueStats {
        Objects.requireNonNull(oldestReadyAge, "oldestReadyAge");
        if (oldestReadyAge.isNegative()) {
            throw new IllegalArgumentException("oldestReadyAge is negative: " + oldestReadyAge);
        }
    }

    /** Counts without an age (zero), the form before {@link #oldestReadyAge()}. */
    public QueueStats(String queue, long ready, long delayed, long inFlight, long dead) {
        this(queue, ready, delayed, inFlight, dead, Duration.ZERO);
    }
}
