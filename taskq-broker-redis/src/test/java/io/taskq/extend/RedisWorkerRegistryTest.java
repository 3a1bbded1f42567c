package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Taskq;
import io.taskq.WorkerInfo;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker registry on Redis: one expiring key per worker under the prefix's hash tag and a ZSET index; an entry
 * that cannot be read is left out; expired index entries are cleaned up by the listing.
 */
class RedisWorkerRegistryTest extends WorkerRegistryContract {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Taskq.Builder builder() {
        return Taskq.builder().broker(server.broker(Clock.systemUTC(), b -> b)).closeBrokerOnClose(true);
    }

    private static WorkerInfo info(String id) {
        return new WorkerInfo(id, "n@h", "app", "1.0", "h", 7, List.of("q"), Set.of(), 1, 0, 0, 0, 0, 0, true,
                java.time.Instant.now(), java.time.Instant.now(), Duration.ofSeconds(5));
    }

    @Test
    void eachWorkerIsOneExpiringKeyIndexedByExpiry() {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b)) {
            String p = broker.keyPrefix();
            broker.workerRegistry().orElseThrow().heartbeat(info("w1"), Duration.ofSeconds(15));
            AtomicLong ttl = new AtomicLong();
            AtomicReference<Double> score = new AtomicReference<>();
            server.with(c -> {
                ttl.set(c.pttl("{" + p + "}:worker:w1"));
                score.set(c.zscore("{" + p + "}:workers", "w1"));
            });
            assertTrue(ttl.get() > 14_000 && ttl.get() <= 15_000, "PX of the time to live: " + ttl.get());
            long expiry = score.get().longValue();
            assertTrue(Math.abs(expiry - (System.currentTimeMillis() + 15_000)) < 5_000, "expiry " + expiry);

            broker.workerRegistry().orElseThrow().remove("w1");
            server.with(c -> {
                assertEquals(0L, c.exists("{" + p + "}:worker:w1"));
                assertEquals(null, c.zscore("{" + p + "}:workers", "w1"));
            });
        }
    }

    @Test
    void unreadableAndExpiredEntriesAreLeftOutAndCleanedUp() {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b)) {
            String p = broker.keyPrefix();
            var registry = broker.workerRegistry().orElseThrow();
            registry.heartbeat(info("good"), Duration.ofSeconds(15));
            long later = System.currentTimeMillis() + 60_000;
            server.with(c -> {
                c.set("{" + p + "}:worker:bad", "{not json");
                c.zadd("{" + p + "}:workers", later, "bad");
                c.zadd("{" + p + "}:workers", later, "gone"); // indexed, its key expired
                c.zadd("{" + p + "}:workers", 1, "old"); // expired long ago
            });
            assertEquals(List.of("good"), registry.live().stream().map(WorkerInfo::id).toList());
            Await.until(Duration.ofSeconds(5), "the expired index entry removed", () -> {
                AtomicReference<Double> s = new AtomicReference<>();
                server.with(c -> s.set(c.zscore("{" + p + "}:workers", "old")));
                return s.get() == null;
            });
        }
    }
}
