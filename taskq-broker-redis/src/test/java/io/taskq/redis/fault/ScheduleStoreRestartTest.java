package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.contract.Await;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.redis.RedisTestServer;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * redis-server killed and restarted (AOF, fsync always): the schedule store's commands work again by themselves
 * (reconnect, scripts loaded again on NOSCRIPT), nothing acknowledged is lost, and a subscriber is told to look
 * again after its re-subscription and hears later changes.
 */
class ScheduleStoreRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private RedisTestServer server;
    private RedisScheduleStore writer;
    private RedisScheduleStore listener;

    @BeforeEach
    void start() {
        server = RedisTestServer.startLocal(true);
        writer = RedisScheduleStore.builder().uri(server.url()).keyPrefix("restart")
                .commandTimeout(Duration.ofSeconds(2)).build();
        listener = RedisScheduleStore.builder().uri(server.url()).keyPrefix("restart")
                .commandTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void stop() {
        writer.close();
        listener.close();
        server.close();
    }

    private static ScheduleAuditRecord audit(String action) {
        return new ScheduleAuditRecord(Instant.now(), "a", action, "tester", null, null, null);
    }

    @Test
    void storeAndNotificationsRecoverAfterARestart() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        listener.subscribe(calls::incrementAndGet);
        long v1 = writer.write("a", "{\"n\":1}", ScheduleStore.ABSENT, audit("add")).orElseThrow();
        Await.until(WAIT, "notified before the restart", () -> calls.get() >= 1);

        server.kill();
        server.restart();

        // Told to look again once re-subscribed: changes published while it was away would be lost otherwise.
        int beforeResubscribe = 1;
        Await.until(WAIT, "listener called after re-subscribing", () -> calls.get() > beforeResubscribe);

        OptionalLong[] v2 = new OptionalLong[1];
        Await.until(WAIT, "Redis accepts writes again", () -> {
            try {
                v2[0] = writer.write("a", "{\"n\":2}", v1, audit("update"));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        assertEquals(v1 + 1, v2[0].orElseThrow(), "the version sequence survived the restart");
        long v = v2[0].getAsLong();
        // More changes than the reconnect could explain: each must be heard over the re-subscribed channel.
        for (int i = 3; i <= 5; i++) {
            int seen = calls.get();
            v = writer.write("a", "{\"n\":" + i + "}", v, audit("update")).orElseThrow();
            Await.until(WAIT, "notified of change " + i + " after the restart", () -> calls.get() > seen);
        }
        assertEquals("{\"n\":5}", listener.entry("a").orElseThrow().json());
        assertEquals(5, listener.changeCount());
        assertEquals(5, listener.audit(10).size());
    }
}
