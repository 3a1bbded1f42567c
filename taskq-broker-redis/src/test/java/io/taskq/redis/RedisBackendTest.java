package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.taskq.scheduler.spi.ScheduleStore;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One backend, configured once, hands out the broker, results, leases and schedule store. */
class RedisBackendTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static String freshPrefix() {
        return "b" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void everythingComesFromOneConfiguration() {
        String prefix = freshPrefix();
        try (RedisBackend redis = RedisBackend.builder().uri(server.url()).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(3)).partitions("hot", 2).build()) {
            RedisBroker broker = redis.broker();
            assertSame(broker, redis.broker());
            assertSame(broker, redis.results(), "the broker keeps the results");
            assertSame(broker, redis.leases(), "and the leases");
            assertEquals(prefix, redis.keyPrefix());
            assertEquals(prefix, broker.keyPrefix());
            assertEquals("hot#" + Math.floorMod("id1".hashCode(), 2),
                    BrokerInternals.partitionOf(broker, "hot", "id1"), "the partitions configured");

            assertEquals(List.of(true), broker.enqueue(List.of(new TaskMessage("id1", "hot", "t", 4, null, "{}"))));
            assertEquals(1, broker.stats("hot").ready(), "in one of the two partitions");
            assertTrue(broker.locate("hot", List.of("id1")).containsKey("id1"));
            assertTrue(redis.results().get("hot", "id1").isEmpty(), "no record before it ran");
            assertTrue(redis.leases().tryAcquire("leader", "me", Duration.ofSeconds(10)));
            assertEquals("me", redis.leases().holder("leader").orElseThrow());

            RedisScheduleStore store = redis.scheduleStore();
            assertSame(store, redis.scheduleStore(), "one store per backend");
            assertEquals(prefix, store.keyPrefix());
            assertTrue(store.toString().contains(broker.endpoint().where()), "connects where the broker does");
            long v = store.write("e", "{}", ScheduleStore.ABSENT, null).orElseThrow();
            assertEquals(v, store.entry("e").orElseThrow().version());
        }
    }

    @Test
    void closingClosesWhatItHandedOutButNotInjectedResources() {
        ClientResources shared = DefaultClientResources.create();
        try {
            RedisBackend redis = RedisBackend.builder().uri(server.url()).keyPrefix(freshPrefix())
                    .clientResources(shared).build();
            RedisScheduleStore store = redis.scheduleStore();
            redis.close();
            redis.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> redis.broker().get("q", "x"), "broker closed");
            assertThrows(IllegalStateException.class, store::entries, "store closed");
            assertThrows(IllegalStateException.class, redis::scheduleStore);
            assertFalse(shared.eventExecutorGroup().isShuttingDown(), "the caller's resources stay up");

            // still usable by another client
            try (RedisBackend again = RedisBackend.builder().uri(server.url()).keyPrefix(freshPrefix())
                    .clientResources(shared).build()) {
                assertTrue(again.broker().queues().isEmpty());
            }
            assertFalse(shared.eventExecutorGroup().isShuttingDown());
        } finally {
            shared.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBackendNeedsWhereRedisIs() {
        assertThrows(IllegalStateException.class, () -> RedisBackend.builder().build());
    }
}
