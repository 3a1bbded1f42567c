package io.taskq.spi;

import io.taskq.DeadLetter;
import java.util.List;

/**
 * One page of a {@link QueueAdmin#findDeadLetters} search: the matching dead letters of the part of the dead-letter
 * set this call read, oldest first, and where the next call goes on. A page may hold fewer matches than asked, even
 * none, while {@code next} is not null: each call reads a bounded part of the set.
 *
 * @param deadLetters the matches, oldest first
 * @param next        the cursor of the next call, or null when the whole set has been read
 */
public record DeadLetterPage(List<DeadLetter> deadLetters, String next) {
    /** Copies the list. */
    public DeadLetterPage {
        deadLetters = List.copyOf(deadLetters);
    }
}
