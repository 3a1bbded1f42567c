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
 */
public record ClaimRequest(String consumerId, List<String> queues, int max, Duration lease, Duration maxWait) {

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
    }
}
