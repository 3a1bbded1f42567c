package io.taskq;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Follows a submitted {@link Chord}: its header's {@link GroupHandle} and its callback's handle, whose result is the
 * chord's. The callback's id is known from the submit (derived from the chord's), so the handle works before the
 * callback is enqueued.
 *
 * @param <R> the callback's result type
 */
public final class ChordHandle<R> {
    private final GroupHandle<?> header;
    private final TaskHandle<R> callback;

    ChordHandle(GroupHandle<?> header, TaskHandle<R> callback) {
        this.header = header;
        this.callback = callback;
    }

    /** The chord's id (its header group's). */
    public String id() {
        return header.id();
    }

    /** The header's handle. */
    public GroupHandle<?> header() {
        return header;
    }

    /** The callback's handle. */
    public TaskHandle<R> callback() {
        return callback;
    }

    /**
     * Waits for the callback's result.
     *
     * @throws TaskFailedException    if a member failed (error type {@code taskq.ChordError}) or the callback did
     * @throws TaskRevokedException   if the callback was revoked
     * @throws ResultTimeoutException if the callback has not finished in time
     */
    public R get(Duration timeout) {
        return callback.get(timeout);
    }

    /** The callback's result, as a future. */
    public CompletableFuture<R> future() {
        return callback.future();
    }

    /** The callback's state: FAILURE once a member failed; UNKNOWN while the header runs. */
    public TaskState state() {
        return callback.state();
    }

    /**
     * Revokes the callback (remembered by the broker until it would arrive) and every member not finished.
     *
     * @return true unless everything had already finished
     */
    public boolean revoke() {
        boolean cb = callback.revoke("revoked") != io.taskq.spi.RevokeResult.ALREADY_FINISHED;
        return header.revoke() | cb;
    }

    @Override
    public String toString() {
        return "ChordHandle(" + id() + ", callback " + callback.id() + ")";
    }
}
