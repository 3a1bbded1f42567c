package io.taskq;

import java.util.List;

/**
 * A submit that could not be sent to the broker within the submit retry budget (see
 * {@link Taskq.Builder#submitRetryTimeout}), or that the broker refused; the cause says why. It carries the handle
 * of every task of the call, ids included, and which of them are known to be in the broker.
 *
 * <p>A task not {@linkplain #submitted() confirmed} may still have landed (a reply lost after the command ran):
 * submitting it again with the same id ({@link TaskRequest#id(String)}, or {@link #retryRequests}) is safe, as
 * the broker ignores an id it already holds.
 */
public final class SubmitException extends TaskqException {
    private final transient List<TaskHandle<?>> handles;
    private final transient List<TaskHandle<?>> submitted;
    private final transient List<TaskRequest<?>> retry;

    SubmitException(String message, RuntimeException cause, List<TaskHandle<?>> handles,
                    List<TaskHandle<?>> submitted, List<TaskRequest<?>> retry) {
        super(message, cause);
        this.handles = List.copyOf(handles);
        this.submitted = List.copyOf(submitted);
        this.retry = List.copyOf(retry);
    }

    /** A handle per request of the call, in order. */
    public List<TaskHandle<?>> handles() {
        return handles;
    }

    /** The tasks known to be in the broker, in request order. */
    public List<TaskHandle<?>> submitted() {
        return submitted;
    }

    /** The tasks not known to be in the broker (they may have landed), in request order. */
    public List<TaskHandle<?>> failed() {
        return handles.stream().filter(h -> !submitted.contains(h)).toList();
    }

    /**
     * The requests of the {@link #failed()} tasks with their ids fixed, in order: pass them to
     * {@link Taskq#submitAll} to try again without risking a second copy of any task.
     */
    public List<TaskRequest<?>> retryRequests() {
        return retry;
    }
}
