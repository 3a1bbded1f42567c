package io.taskq;

import java.util.List;
import java.util.Objects;

/**
 * Events read from the stream, oldest first, and the position to read on from.
 *
 * @param events the events (possibly none)
 * @param next   the position to pass to the next read: the last event's, or the position asked for when there was
 *               none (null if the stream was empty and no position was given)
 */
public record EventPage(List<Event> events, String next) {

    /** Copies the list. */
    public EventPage {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}
