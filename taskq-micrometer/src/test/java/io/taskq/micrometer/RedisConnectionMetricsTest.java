package io.taskq.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.event.connection.ConnectedEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskq.contract.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Each Lettuce connection event moves its counter, other events none, and nothing after close; against a real
 * Redis that restarts see RedisReconnectMetricsTest in taskq-broker-redis.
 */
class RedisConnectionMetricsTest {
    private static final SocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 50_000);
    private static final SocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 6379);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ClientResources resources = ClientResources.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void shutDown() {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private double count(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void eachConnectionEventMovesItsCounter() {
        RedisConnectionMetrics metrics = new RedisConnectionMetrics(registry, resources);
        resources.eventBus().publish(new ConnectedEvent(LOCAL, REMOTE));
        resources.eventBus().publish(new DisconnectedEvent(LOCAL, REMOTE));
        resources.eventBus().publish(new DisconnectedEvent(LOCAL, REMOTE));
        resources.eventBus().publish(new ReconnectAttemptEvent(LOCAL, REMOTE, 1));
        resources.eventBus().publish(new ReconnectFailedEvent(LOCAL, REMOTE, new IOException("refused"), 1));
        resources.eventBus().publish(new ReconnectAttemptEvent(LOCAL, REMOTE, 2));
        // The event bus may hand events to its subscribers on another thread: wait for the last one to be counted.
        Await.until(WAIT, "the events counted", () -> count(TaskqMeters.REDIS_RECONNECT_ATTEMPTS) == 2);
        assertEquals(2, count(TaskqMeters.REDIS_DISCONNECTS));
        assertEquals(2, count(TaskqMeters.REDIS_RECONNECT_ATTEMPTS));
        assertEquals(1, count(TaskqMeters.REDIS_RECONNECT_FAILURES));

        metrics.close();
        // A subscriber of its own tells when the bus has delivered the event published after the close.
        AtomicInteger seen = new AtomicInteger();
        Disposable probe = resources.eventBus().get().subscribe(e -> seen.incrementAndGet());
        try {
            resources.eventBus().publish(new DisconnectedEvent(LOCAL, REMOTE));
            Await.until(WAIT, "the event after the close delivered", () -> seen.get() == 1);
        } finally {
            probe.dispose();
        }
        assertEquals(2, count(TaskqMeters.REDIS_DISCONNECTS), "counted after close");
    }
}
