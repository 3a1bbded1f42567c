package io.taskq;

/**
 * Stands for an exception thrown by a task on a worker, possibly in another process. It carries the remote
 * exception's class name and stack trace as text; the original class is never instantiated from message data.
 */
public final class RemoteTaskException extends TaskqException {
    private static final long serialVersionUID = 1L;
    private final TaskError error;

    /** Wraps a remote error. */
    public RemoteTaskException(TaskError error) {
        super(error.toString());
        this.error = error;
    }

    /** The remote error: class name, message and stack trace. */
    public TaskError error() {
        return error;
    }

    /** Fully qualified class name of the remote exception. */
    public String remoteType() {
        return error.type();
    }

    /** The remote stack trace as text. */
    public String remoteStackTrace() {
        return error.stackTrace();
    }
}
