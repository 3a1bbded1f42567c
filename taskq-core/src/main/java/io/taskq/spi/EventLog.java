package io.taskq.spi;

import io.taskq.Event;
import io.taskq.EventPage;
import java.time.Duration;
import java.util.List;

/**
 * Where a broker keeps the event stream of its namespace: appended to by every application, trimmed to a bounded
 * length (oldest first), read from a position. A broker that keeps one returns it from {@link Broker#eventLog()}.
 * Positions are the log's own opaque text, increasing in append order. All methods are thread-safe.
 */
public interface EventLog {

    /** Appends events (not stored yet: no position), in order. */
    void append(List<Event> events);

    /**
     * Events after {@code after} (null: from the oldest kept), oldest first, each with its position.
     *
     * @throws IllegalArgumentException if {@code after} is not a position of this log
     */
    EventPage read(String after, int limit);

    /**
     * Like {@link #read}, but waits up to {@code maxWait} for an event when there is none yet. {@code after} null
     * means "after the newest now": only events still to come.
     */
    EventPage await(String after, int limit, Duration maxWait) throws InterruptedException;
}
