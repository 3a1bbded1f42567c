package io.taskq.internal.events;

import io.taskq.Event;
import io.taskq.Taskq;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How taskq's own modules built on a {@link Taskq} (the scheduler) publish events of their own through that taskq's
 * {@link EventPublisher}: the same buffer, thread and on/off switch ({@code Taskq.Builder.events}) as its task and
 * worker events, without a publishing method on the public API. {@code Taskq} installs the accessor when its class
 * initializes (the JDK's "shared secrets" pattern); holding a {@code Taskq} means it did.
 */
public final class PublisherAccess {
    private static volatile Function<Taskq, EventPublisher> accessor;

    private PublisherAccess() {
    }

    /**
     * Called once, by {@code Taskq}'s static initializer.
     *
     * @throws IllegalStateException if an accessor is installed already
     */
    public static synchronized void install(Function<Taskq, EventPublisher> publisherOf) {
        if (accessor != null) {
            throw new IllegalStateException("already installed");
        }
        accessor = Objects.requireNonNull(publisherOf, "publisherOf");
    }

    /**
     * Where to publish events through {@code taskq}: empty when its events are off or its broker keeps no event
     * stream. The consumer never blocks nor throws (a full buffer drops the event, counted).
     */
    public static Optional<Consumer<Event>> publisher(Taskq taskq) {
        Objects.requireNonNull(taskq, "taskq");
        return Optional.ofNullable(accessor.apply(taskq)).map(p -> p::publish);
    }
}
