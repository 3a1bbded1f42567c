package io.taskq;

/**
 * The error recorded for an attempt that ran past its time limit. The worker interrupts the task's thread when
 * the limit passes; see {@link WorkerOptions.Builder#abandonAfter(java.time.Duration)} for what happens to a task
 * that ignores the interrupt.
 */
public final class TaskTimeLimitExceededException extends TaskqException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public TaskTimeLimitExceededException(String message) {
        super(message);
    }
}
