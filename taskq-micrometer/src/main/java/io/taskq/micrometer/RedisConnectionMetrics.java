package io.taskq.micrometer;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import reactor.core.Disposable;

/**
 * Counts the connection events of the Redis connections that run on one set of Lettuce {@link ClientResources}
 * (their event bus): disconnects ({@link TaskqMeters#REDIS_DISCONNECTS}), reconnect attempts
 * ({@link TaskqMeters#REDIS_RECONNECT_ATTEMPTS}) and failed attempts ({@link TaskqMeters#REDIS_RECONNECT_FAILURES}).
 * A Redis that restarts or a network that drops shows as disconnects followed by attempts; attempts that keep
 * failing mean Redis is still unreachable. Taskq's calls that failed meanwhile are {@link TaskqMeters#BROKER_ERRORS}.
 *
 * <pre>{@code
 * RedisConnectionMetrics redisMetrics = new RedisConnectionMetrics(registry, backend.clientResources());
 * }</pre>
 *
 * <p>Every connection counts: taskq keeps several (commands, blocking waits, subscriptions), so one restart of
 * Redis is one disconnect per open connection, and a connection that taskq closes counts as a disconnect too. With
 * resources shared with other Redis clients of the application, their connections count as well. Needs
 * {@code lettuce-core} (an optional dependency of this module, there whenever {@code taskq-broker-redis} is);
 * {@link TaskqMetrics} never refers to this class. {@link #close()} stops counting; the counters stay.
 */
public final class RedisConnectionMetrics implements AutoCloseable {
    private final Counter disconnects;
    private final Counter attempts;
    private final Counter failures;
    private final Disposable subscription;

    /** Counts in {@code registry} the events of the connections that run on {@code resources}, from now on. */
    public RedisConnectionMetrics(MeterRegistry registry, ClientResources resources) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(resources, "resources");
        this.disconnects = Counter.builder(TaskqMeters.REDIS_DISCONNECTS)
                .description("Redis connections that went down").register(registry);
        this.attempts = Counter.builder(TaskqMeters.REDIS_RECONNECT_ATTEMPTS)
                .description("Attempts to reconnect a Redis connection").register(registry);
        this.failures = Counter.builder(TaskqMeters.REDIS_RECONNECT_FAILURES)
                .description("Reconnect attempts that failed").register(registry);
        this.subscription = resources.eventBus().get().subscribe(this::count);
    }

    private void count(Event e) {
        if (e instanceof DisconnectedEvent) {
            disconnects.increment();
        } else if (e instanceof ReconnectAttemptEvent) {
            attempts.increment();
        } else if (e instanceof ReconnectFailedEvent) {
            failures.increment();
        }
    }

    /** Stops counting. */
    @Override
    public void close() {
        subscription.dispose();
    }
}
