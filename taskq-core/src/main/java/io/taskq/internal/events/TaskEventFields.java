package io.taskq.internal.events;

import io.taskq.Event;
import io.taskq.TaskEvent;
import io.taskq.internal.IsoInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TaskEvent} as an entry of the event stream: Celery's type names where the meaning is the same, and flat
 * text fields (times as ISO-8601, durations in milliseconds, error messages cut to a bounded length).
 */
public final class TaskEventFields {
    /** Longest error message an event keeps (the dead letter keeps the whole error). */
    static final int MAX_MESSAGE = 500;

    private TaskEventFields() {
    }

    /** The stream's type name for a task event kind. */
    public static String type(TaskEvent.Kind kind) {
        return switch (kind) {
            case SENT -> Event.TASK_SENT;
            case CLAIMED -> Event.TASK_RECEIVED;
            case STARTED -> Event.TASK_STARTED;
            case SUCCEEDED -> Event.TASK_SUCCEEDED;
            case FAILED -> Event.TASK_FAILED;
            case RETRIED -> Event.TASK_RETRIED;
            case REVOKED -> Event.TASK_REVOKED;
            case EXPIRED -> Event.TASK_EXPIRED;
            case DEAD_LETTERED -> Event.TASK_DEAD_LETTERED;
            case HANDED_BACK -> Event.TASK_HANDED_BACK;
            case PROGRESS -> Event.TASK_PROGRESS;
        };
    }

    /** The event to publish. */
    public static Event of(TaskEvent e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(Event.F_ID, e.taskId());
        put(f, Event.F_NAME, e.taskName());
        f.put(Event.F_QUEUE, e.queue());
        put(f, Event.F_WORKER, e.workerId());
        if (e.workerId() != null) {
            f.put("attempt", Integer.toString(e.attempt()));
        }
        if (e.retries() != null) {
            f.put("retries", Integer.toString(e.retries()));
        }
        put(f, "root_id", e.rootId());
        put(f, "parent_id", e.parentId());
        put(f, "sent_at", e.sentAt());
        put(f, "eta", e.eta());
        put(f, "wait_ms", e.waitTime());
        put(f, "runtime_ms", e.runtime());
        put(f, "error_type", e.errorType());
        if (e.errorMessage() != null) {
            String m = e.errorMessage();
            f.put("error_message", m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m);
        }
        put(f, "retry_at", e.retryAt());
        put(f, "reason", e.reason());
        put(f, "progress_state", e.progressState());
        if (e.progressMeta() != null) {
            String m = e.progressMeta();
            f.put("progress_meta", m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m);
        }
        put(f, Event.F_ARGS, e.args());
        return Event.of(type(e.kind()), e.timestamp(), f);
    }

    private static void put(Map<String, String> f, String name, Object value) {
        if (value instanceof Duration d) {
            f.put(name, Long.toString(d.toMillis()));
        } else if (value instanceof Instant t) {
            f.put(name, IsoInstants.format(t));
        } else if (value instanceof String text) {
            f.put(name, text);
        }
    }
}
