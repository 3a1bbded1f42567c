package io.taskq;

import java.util.List;

/**
 * A submit that asked to fail on a duplicate id ({@link TaskRequest#failIfDuplicate()}) found the id already known
 * to its queue (queued, delayed, running, a kept record or a dead letter). The earlier task stands, with its own
 * arguments; nothing was enqueued for the duplicate. In a {@link Taskq#submitAll} batch the other requests were
 * submitted; their handles are in {@link #handles()}.
 */
public final class DuplicateTaskException extends TaskqException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> ids;
    private final transient List<TaskHandle<?>> handles;

    DuplicateTaskException(String queueAndIds, List<String> ids, List<TaskHandle<?>> handles) {
        super("task id already known, not submitted again: " + queueAndIds);
        this.ids = List.copyOf(ids);
        this.handles = List.copyOf(handles);
    }

    /** The duplicate ids, in submit order. */
    public List<String> ids() {
        return ids;
    }

    /** The handles of every request of the call, in order ({@link TaskHandle#created()} tells which were new). */
    public List<TaskHandle<?>> handles() {
        return handles;
    }
}
