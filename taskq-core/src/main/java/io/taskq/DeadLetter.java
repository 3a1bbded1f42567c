package io.taskq;

import java.time.Instant;

/**
 * A task that ended in the dead-letter set: retries used up, a message that could not be decoded, an unknown
 * task, or a task whose worker died too often. It can be listed and re-submitted.
 *
 * @param id      task id
 * @param queue   queue it came from
 * @param task    task name, when the broker knew it
 * @param reason  why it was dead-lettered
 * @param deadAt  when
 * @param attempt how many times it had been claimed
 * @param body    the raw message, as stored
 */
public record DeadLetter(String id, String queue, String task, String reason, Instant deadAt, int attempt,
                         String body) {
}
