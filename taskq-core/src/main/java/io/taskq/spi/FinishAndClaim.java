package io.taskq.spi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Broker#finishAndClaim} returns.
 *
 * @param accepted for each outcome, in order, true if accepted and false if its claim was stale
 * @param claimed  the tasks claimed for the slots the finished tasks freed (possibly none)
 */
public record FinishAndClaim(List<Boolean> accepted, List<Delivery> claimed) {

    /** Validates and copies the lists. */
    public FinishAndClaim {
        accepted = List.copyOf(Objects.requireNonNull(accepted, "accepted"));
        claimed = List.copyOf(Objects.requireNonNull(claimed, "claimed"));
    }
}
