package io.taskq;

/**
 * The states of a task, as in Celery.
 *
 * <p>PENDING means "not known to have started": queued, delayed, or an unknown id. A task goes RECEIVED when a
 * worker claims it, STARTED when its method is invoked, RETRY while it waits for the next attempt, and ends in
 * SUCCESS, FAILURE or REVOKED.
 */
public enum TaskState {
    /** Queued or delayed, or an id the system does not know. */
    PENDING,
    /** Claimed by a worker. */
    RECEIVED,
    /** The task method is running. */
    STARTED,
    /** An attempt failed and another is scheduled. */
    RETRY,
    /** Finished with a result. */
    SUCCESS,
    /** Finished with an error, after retries if any. */
    FAILURE,
    /** Cancelled, or expired before it ran. */
    REVOKED;

    /** True for SUCCESS, FAILURE and REVOKED: the state will not change again. */
    public boolean isFinal() {
        return this == SUCCESS || this == FAILURE || this == REVOKED;
    }
}
