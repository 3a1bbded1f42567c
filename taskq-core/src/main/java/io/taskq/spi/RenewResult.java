package io.taskq.spi;

import java.util.Set;

/**
 * The answer to a lease renewal.
 *
 * @param lost    ids whose lease this worker no longer holds (expired and taken over, or finished elsewhere):
 *                the worker must stop them and discard their outcome
 * @param revoked ids that were revoked while running: the worker interrupts them and finishes them as REVOKED
 */
public record RenewResult(Set<String> lost, Set<String> revoked) {

    /** Copies the sets. */
    public RenewResult {
        lost = Set.copyOf(lost);
        revoked = Set.copyOf(revoked);
    }

    /** Nothing lost, nothing revoked. */
    public static RenewResult none() {
        return new RenewResult(Set.of(), Set.of());
    }
}
