package io.taskq.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a worker asks of {@link Broker#claim(ClaimRequest)}.
 *
 * @param consumerId id of the worker, recorded with each claim
 * @param queues     queues to take from, in the order to try them (the worker varies the order for weighted
 *                   consumption)
 * @param max        claim at most this many tasks: the worker's free slots, plus the room left among the tasks it
 *                   holds ahead of a free slot when it prefetches ({@code WorkerOptions.prefetch})
 * @param lease      how long each claimed task is leased before another worker may take it over
 * @param maxWait    how long to wait for a task when none is ready; bounded so that the worker's loop stays alive
 * @param startNow   how many of the claimed tasks (the first ones) start at once on a free slot; the rest are held
 *                   until a slot frees and reported with {@link Broker#markStarted} when they start. A broker
 *                   counts a lost lease against a task ({@code maxRedeliveries}) only if it had started, so that
 *                   a task held by a worker that another task crashed is not dead-lettered with it
 */
public record ClaimRequest(String consumerId, List<String> queues, int max, Duration lease, Duration maxWait,
                           int startNow) {

    /** A claim whose tasks all start at once (no held tasks). */
    public ClaimRequest(String consumerId, List<String> queues, int max, Duration lease, Duration maxWait) {
        this(consumerId, queues, max, lease, maxWait, max);
    }

    /** Validates the fields. */
    public ClaimRequest {
        Objects.requireNonNull(consumerId, "consumerId");
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("at least one queue");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(maxWait, "maxWait");
        if (startNow < 0 || startNow > max) {
            throw new IllegalArgumentException("startNow must be between 0 and max");
        }
    }
}
