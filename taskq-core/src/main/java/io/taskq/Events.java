package io.taskq;

import java.util.function.Consumer;

/**
 * The event stream of a taskq namespace (Celery's events, BullMQ's queue events): what every application and worker
 * sharing the broker told, kept for a bounded length (the oldest go first), read from a position or followed live.
 * Reached through {@link Taskq#events()}.
 *
 * <p>Losing events never loses or delays a task: events are published in the background, and dropped (counted by
 * {@link #dropped()}) when the broker cannot take them as fast as they come.
 */
public interface Events {

    /** Most events one {@link #since} call returns. */
    int MAX_PAGE = 1000;

    /**
     * Events after {@code position}, oldest first.
     *
     * @param position null for the oldest kept, else the position of an event read before ({@link Event#position()})
     *                 or a page's {@link EventPage#next()}; if that event is no longer kept, reading starts at the
     *                 oldest kept
     * @param limit    most events to return, 1 to {@link #MAX_PAGE}
     * @throws IllegalArgumentException if the position is not one of this stream's or the limit is out of range
     */
    EventPage since(String position, int limit);

    /**
     * Follows the stream: calls {@code consumer} with every event after {@code position} (null: only those to come),
     * in order, on a thread of its own, until the subscription is closed. A consumer that throws is logged and the
     * next event still comes; while the broker is unreachable the subscription waits and resumes where it was.
     */
    Subscription subscribe(String position, Consumer<Event> consumer);

    /** Events this application could not publish (its buffer full, or the broker failing) since it started. */
    long dropped();

    /** A live subscription; {@link #close()} stops it. */
    interface Subscription extends AutoCloseable {
        /** Stops the calls; waits for a call under way to return. Idempotent. */
        @Override
        void close();
    }
}
