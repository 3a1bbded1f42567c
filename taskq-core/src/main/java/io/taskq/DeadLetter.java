package io.taskq;

import java.time.Instant;

/**
 * A task that ended in the dead-letter set: retries used up, a message that could not be decoded, an unknown
 * task, a message over the broker's size limit, or a task whose worker died too often. It can be listed and
 * re-submitted.
 *
 * <p>A dead letter is <em>incomplete</em> ({@link #incomplete()} is not null) when the broker could not keep or read
 * all of it: its stored entry was damaged (written by something other than taskq, say), so only its id and time
 * are known, or its message was too large to keep, so {@link #body()} holds only its beginning. Listings show
 * incomplete dead letters rather than failing on them, so that a dashboard can show them and an operator can purge
 * them; they cannot be re-submitted.
 *
 * @param id         task id
 * @param queue      queue it came from
 * @param task       task name, when the broker knew it
 * @param reason     why it was dead-lettered, when known
 * @param deadAt     when
 * @param attempt    how many times it had been claimed
 * @param body       the raw message, as stored (only its beginning if the message was too large to keep; null if
 *                   unknown)
 * @param incomplete null if the dead letter is complete; otherwise what is missing and why
 */
public record DeadLetter(String id, String queue, String task, String reason, Instant deadAt, int attempt,
                         String body, String incomplete) {

    /** A complete dead letter. */
    public DeadLetter(String id, String queue, String task, String reason, Instant deadAt, int attempt,
                      String body) {
        this(id, queue, task, reason, deadAt, attempt, body, null);
    }

    /** Whether the whole dead letter was kept and read, so that it can be re-submitted. */
    public boolean isComplete() {
        return incomplete == null;
    }
}
