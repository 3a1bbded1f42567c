package io.taskq.spi;

/** What {@link Broker#revoke(String, String, String)} did. */
public enum RevokeResult {
    /** The task was queued or delayed; it was removed and is now REVOKED. */
    REMOVED,
    /**
     * The task is running; its worker will interrupt it at the next lease renewal. Or it is a chord member still
     * waiting in its queue: it stays there, marked, and the worker that takes it ends it REVOKED without running it,
     * so that its chord's error path runs (docs/workflows.md#members-the-broker-ends).
     */
    SIGNALLED,
    /** The task had already finished; nothing changed. */
    ALREADY_FINISHED,
    /**
     * The queue does not know the id; it is remembered for the broker's revoke marker retention, and a task submitted
     * to that queue with this id within it is revoked on arrival.
     */
    NOT_FOUND;

    /** True if the task was found and is now revoked or being revoked ({@link #REMOVED} or {@link #SIGNALLED}). */
    public boolean found() {
        return this == REMOVED || this == SIGNALLED;
    }
}
