package io.taskq;

/**
 * The states of a task, as in Celery.
 *
 * <p>PENDING means "waiting": queued or delayed. A task goes RECEIVED when a worker claims it, STARTED when its
 * method is invoked, RETRY while it waits for the next attempt, and ends in SUCCESS, FAILURE or REVOKED. UNKNOWN
 * means that no queue knows the id: never submitted (or not yet), submitted to another queue than the one asked, or
 * finished so long ago that its record expired. (Celery answers PENDING for all of those.)
 */
public enum TaskState {
    /** Queued or delayed. */
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
    REVOKED,
    /** No queue knows the id (not submitted, another queue, or its record expired). */
    UNKNOWN;

    /** True for SUCCESS, FAILURE and REVOKED: the state will not change again. */
    public boolean isFinal() {
        return this == SUCCESS || this == FAILURE || this == REVOKED;
    }
}
