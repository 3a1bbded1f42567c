package io.taskq;

/** Thrown by {@link TaskHandle#get(java.time.Duration)} when the task did not finish within the timeout. */
public final class ResultTimeoutException extends TaskqException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public ResultTimeoutException(String message) {
        super(message);
    }
}
