package io.taskq.internal.events;

import io.taskq.Event;
import io.taskq.TaskEvent;
import io.taskq.internal.IsoInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

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
        Fields f = new Fields();
        f.add(Event.F_ID, e.taskId());
        f.add(Event.F_NAME, e.taskName());
        f.add(Event.F_QUEUE, e.queue());
        f.add(Event.F_WORKER, e.workerId());
        if (e.workerId() != null) {
            f.add("attempt", Integer.toString(e.attempt()));
        }
        if (e.retries() != null) {
            f.add("retries", Integer.toString(e.retries()));
        }
        f.add("root_id", e.rootId());
        f.add("parent_id", e.parentId());
        f.add("sent_at", e.sentAt());
        f.add("eta", e.eta());
        f.add("wait_ms", e.waitTime());
        f.add("runtime_ms", e.runtime());
        f.add("error_type", e.errorType());
        f.add("error_message", cut(e.errorMessage()));
        f.add("retry_at", e.retryAt());
        f.add("reason", e.reason());
        f.add("progress_state", e.progressState());
        f.add("progress_meta", cut(e.progressMeta()));
        f.add(Event.F_ARGS, e.args());
        return Event.of(type(e.kind()), e.timestamp(), f);
    }

    private static String cut(String m) {
        return m == null || m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "...";
    }

    /**
     * The fields of one event in order, as two arrays: {@link Event#of} copies them into its own arrays, so a
     * {@code LinkedHashMap} (an entry, a hash and maybe a resize per field, four events per task on the task
     * threads) would be built only to be read once. A full read-only map; the names are distinct by construction.
     */
    static final class Fields extends AbstractMap<String, String> {
        /** Room for every field {@link #of} may add. */
        private static final int MAX = 20;
        private final String[] names = new String[MAX];
        private final String[] values = new String[MAX];
        private int size;

        /** Adds a field unless {@code value} is null: text as it is, durations in ms, instants as ISO-8601. */
        void add(String name, Object value) {
            String text;
            if (value instanceof String s) {
                text = s;
            } else if (value instanceof Duration d) {
                text = Long.toString(d.toMillis());
            } else if (value instanceof Instant t) {
                text = IsoInstants.format(t);
            } else {
                return;
            }
            names[size] = name;
            values[size++] = text;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super String> action) {
            for (int i = 0; i < size; i++) {
                action.accept(names[i], values[i]);
            }
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(names[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }
}
