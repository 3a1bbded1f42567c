package io.taskq;

/** Base type of the exceptions taskq throws. */
public class TaskqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public TaskqException(String message) {
        super(message);
    }

    /** Creates an exception with a message and a cause. */
    public TaskqException(String message, Throwable cause) {
        super(message, cause);
    }
}
