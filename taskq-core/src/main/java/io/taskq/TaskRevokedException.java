package io.taskq;

/** Thrown when waiting on a task that was revoked or expired before it could finish. */
public final class TaskRevokedException extends TaskqException {
    private static final long serialVersionUID = 1L;
    private final String taskId;
    private final String reason;

    /** Creates the exception for a revoked task. */
    public TaskRevokedException(String taskId, String reason) {
        super("task " + taskId + " was revoked: " + reason);
        this.taskId = taskId;
        this.reason = reason;
    }

    /** Id of the revoked task. */
    public String taskId() {
        return taskId;
    }

    /** Why it was revoked, e.g. {@code "expired"}. */
    public String reason() {
        return reason;
    }
}
