package io.taskq;

/** Thrown when waiting on a task that ended in FAILURE; the cause is a {@link RemoteTaskException}. */
public final class TaskFailedException extends TaskqException {
    private static final long serialVersionUID = 1L;
    private final String taskId;

    /** Creates the exception for a failed task. */
    public TaskFailedException(String taskId, TaskError error) {
        super("task " + taskId + " failed: " + error, new RemoteTaskException(error));
        this.taskId = taskId;
    }

    /** Id of the failed task. */
    public String taskId() {
        return taskId;
    }

    /** The remote error. */
    public TaskError error() {
        return ((RemoteTaskException) getCause()).error();
    }
}
