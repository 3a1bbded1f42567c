package io.taskq;

import io.taskq.internal.JsonText;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the event stream ({@link Taskq#events()}): what happened, when, and its details as text fields, as
 * Celery's events are (a type such as {@code task-succeeded} and a flat dict). Immutable.
 *
 * <p>Task events carry the fields named by the {@code F_} constants ({@code id}, {@code name}, {@code queue},
 * {@code worker}, {@code attempt}, {@code runtime_ms}, ...), each only where it applies; see docs/events.md for the
 * list per type. Unknown fields are kept, so that a reader of an older taskq reads a newer one's events.
 */
public final class Event {
    /** A task was submitted: {@link TaskEvent.Kind#SENT}. */
    public static final String TASK_SENT = "task-sent";
    /** A worker claimed the task (Celery's name): {@link TaskEvent.Kind#CLAIMED}. */
    public static final String TASK_RECEIVED = "task-received";
    /** {@link TaskEvent.Kind#STARTED}. */
    public static final String TASK_STARTED = "task-started";
    /** {@link TaskEvent.Kind#SUCCEEDED}. */
    public static final String TASK_SUCCEEDED = "task-succeeded";
    /** {@link TaskEvent.Kind#FAILED}. */
    public static final String TASK_FAILED = "task-failed";
    /** {@link TaskEvent.Kind#RETRIED}. */
    public static final String TASK_RETRIED = "task-retried";
    /** {@link TaskEvent.Kind#REVOKED}. */
    public static final String TASK_REVOKED = "task-revoked";
    /** {@link TaskEvent.Kind#EXPIRED}. */
    public static final String TASK_EXPIRED = "task-expired";
    /** {@link TaskEvent.Kind#DEAD_LETTERED}. */
    public static final String TASK_DEAD_LETTERED = "task-dead-lettered";
    /** {@link TaskEvent.Kind#HANDED_BACK}. */
    public static final String TASK_HANDED_BACK = "task-handed-back";
    /** A running task reported progress or a custom state (Celery's custom states through {@code update_state}). */
    public static final String TASK_PROGRESS = "task-progress";

    /** A worker started (Celery's name); its fields describe it, as a registry entry does. */
    public static final String WORKER_ONLINE = "worker-online";
    /** A worker's heartbeat, with its counts now. */
    public static final String WORKER_HEARTBEAT = "worker-heartbeat";
    /** A worker stopped (after draining). */
    public static final String WORKER_OFFLINE = "worker-offline";

    /** A scheduler instance (taskq-scheduler) took the scheduler lease: it publishes the due runs now. */
    public static final String SCHEDULER_LEADER = "scheduler-leader";
    /** A scheduler instance lost or gave up the lease: another instance publishes now. */
    public static final String SCHEDULER_FOLLOWER = "scheduler-follower";
    /** The leading scheduler submitted a run of a periodic task (one event per run, whatever the instances). */
    public static final String SCHEDULER_PUBLISHED = "scheduler-published";
    /** Runs of a periodic task were not published: dropped by its missed-run policy, or skipped by its overlap policy. */
    public static final String SCHEDULER_MISSED = "scheduler-missed";
    /** The leading scheduler could not submit the due runs of a periodic task; it tries again. */
    public static final String SCHEDULER_FAILED = "scheduler-failed";

    /** Field: the task id. */
    public static final String F_ID = "id";
    /** Field: the task name. */
    public static final String F_NAME = "name";
    /** Field: the queue. */
    public static final String F_QUEUE = "queue";
    /** Field: the worker id. */
    public static final String F_WORKER = "worker";
    /** Field: the task's arguments, cut (task-sent and task-started, when {@code Taskq.Builder.argsRepr} is on). */
    public static final String F_ARGS = "args";

    private final String position;
    private final String type;
    private final Instant timestamp;
    // The fields as two arrays in order rather than a map: four events per task are made on busy threads.
    private final String[] names;
    private final String[] values;
    private volatile Map<String, String> fieldMap;
    private volatile String json;

    private Event(String position, String type, Instant timestamp, String[] names, String[] values) {
        this.position = position;
        this.type = Objects.requireNonNull(type, "type");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.names = names;
        this.values = values;
    }

    private static Event copyOf(String type, Instant timestamp, Map<String, String> fields) {
        String[] names = new String[fields.size()];
        String[] values = new String[names.length];
        int[] i = {0};
        fields.forEach((k, v) -> {
            names[i[0]] = Objects.requireNonNull(k, "field name");
            values[i[0]++] = Objects.requireNonNull(v, () -> "value of field " + k);
        });
        if (i[0] != names.length) {
            throw new IllegalArgumentException("the fields changed while the event was made");
        }
        return new Event(null, type, timestamp, names, values);
    }

    /**
     * An event not stored yet (no position): what a producer hands to the stream.
     *
     * @param fields its details; null values are not allowed (leave the field out)
     */
    public static Event of(String type, Instant timestamp, Map<String, String> fields) {
        return copyOf(type, timestamp, fields);
    }

    /** This event as stored at {@code position} (by an event log, see {@link io.taskq.spi.EventLog}). */
    public Event at(String position) {
        return new Event(Objects.requireNonNull(position, "position"), type, timestamp, names, values);
    }

    /** Where the stream keeps it, to resume after it ({@link Events#since}); null for an event not stored yet. */
    public String position() {
        return position;
    }

    /** What happened, e.g. {@link #TASK_SUCCEEDED}. */
    public String type() {
        return type;
    }

    /** When it happened, by the clock of the application that told it. */
    public Instant timestamp() {
        return timestamp;
    }

    /**
     * The event as one JSON object, {@code {"type":..,"ts":<epoch ms>,"fields":{..}}} (without its position), made
     * once and kept: the Redis stream's writer takes it as it is.
     */
    public String toJson() {
        String j = json;
        if (j == null) {
            // Sized for the text without escapes, so that the builder is not grown (copied) on the way.
            int size = 48 + type.length();
            for (int i = 0; i < names.length; i++) {
                size += names[i].length() + values[i].length() + 6;
            }
            StringBuilder b = new StringBuilder(size).append("{\"type\":");
            JsonText.string(b, type);
            b.append(",\"ts\":").append(timestamp.toEpochMilli()).append(",\"fields\":{");
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                JsonText.string(b, names[i]);
                b.append(':');
                JsonText.string(b, values[i]);
            }
            json = j = b.append("}}").toString();
        }
        return j;
    }

    /** Its details, in the order told; unmodifiable. */
    public Map<String, String> fields() {
        Map<String, String> m = fieldMap;
        if (m == null) {
            Map<String, String> copy = new LinkedHashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                copy.put(names[i], values[i]);
            }
            fieldMap = m = Collections.unmodifiableMap(copy);
        }
        return m;
    }

    /** One field, or null if it does not have it. */
    public String field(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && Objects.equals(position, e.position) && type.equals(e.type)
                && timestamp.equals(e.timestamp) && fields().equals(e.fields());
    }

    @Override
    public int hashCode() {
        return Objects.hash(position, type, timestamp, fields());
    }

    @Override
    public String toString() {
        return "Event[" + (position != null ? position + " " : "") + type + " at " + timestamp + " " + fields() + "]";
    }
}
