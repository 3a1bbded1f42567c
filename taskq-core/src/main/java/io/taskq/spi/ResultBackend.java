package io.taskq.spi;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads task records and tells when a task finishes. Clients use it to follow tasks; the broker writes the
 * records. One store usually implements both interfaces.
 */
public interface ResultBackend {

    /** The stored record of a task, if any. */
    Optional<TaskRecord> get(String queue, String id);

    /**
     * A future completed with the task's record once it is final (SUCCESS, FAILURE or REVOKED), without busy
     * polling. If the record is already final the future completes as soon as the backend has read it. The call
     * itself does not wait for a remote backend (whatever it must ask completes the future later), so that a
     * caller's timeout on the future bounds its whole wait. Cancelling the future releases what the backend holds
     * for it.
     */
    CompletableFuture<TaskRecord> awaitFinal(String queue, String id);
}
