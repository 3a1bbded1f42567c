package io.taskq.spi;

/** What {@link Broker#revoke(String, String, String)} did. */
public enum RevokeResult {
    /** The task was queued or delayed; it was removed and is now REVOKED. */
    REMOVED,
    /** The task is running; its worker will interrupt it at the next lease renewal. */
    SIGNALLED,
    /** The task had already finished; nothing changed. */
    ALREADY_FINISHED,
    /** The id is unknown; it is remembered, and a task submitted later with this id is revoked on arrival. */
    NOT_FOUND
}
