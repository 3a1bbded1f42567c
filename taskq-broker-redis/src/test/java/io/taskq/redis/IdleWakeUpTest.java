package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idle consumer waits on the queue's marker until the next delayed task comes due or the next lease expires,
 * not for its whole {@code maxWait}: nothing sets a marker when time passes, so the claim script tells the consumer
 * when to look again (the earliest due time and lease deadline, which promotion and reaping already read). Each
 * test waits with a {@code maxWait} of 20 s for something due within a second; the bound it checks (10 s) is
 * only there to tell "woke when due" from "slept until maxWait".
 */
class IdleWakeUpTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final Duration LONG_WAIT = Duration.ofSeconds(20);
    private static final long WOKE_BEFORE_MS = 10_000;

    private RedisBroker broker() {
        return RedisBroker.builder().uri(server.url()).keyPrefix("wk" + UUID.randomUUID().toString().substring(0, 8))
                .build();
    }

    private static TaskMessage msg(String id, Instant eta) {
        return new TaskMessage(id, "q", "t", 4, eta, "{}");
    }

    private static List<Delivery> claim(RedisBroker b, String consumer, Duration lease, Duration wait)
            throws InterruptedException {
        return b.claim(new ClaimRequest(consumer, List.of("q"), 4, lease, wait));
    }

    private static void dropMarker(RedisBroker b) {
        server.with(r -> r.del(BrokerInternals.queueKeyBase(b, "q") + ":marker"));
    }

    private static long msSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    void anIdleConsumerWakesWhenADelayedTaskComesDue() throws Exception {
        try (RedisBroker b = broker()) {
            b.enqueue(List.of(msg("d", Instant.now().plusMillis(700))));
            long t0 = System.nanoTime();
            List<Delivery> got = claim(b, "w", Duration.ofSeconds(30), LONG_WAIT);
            assertEquals(List.of("d"), got.stream().map(Delivery::id).toList());
            assertTrue(msSince(t0) < WOKE_BEFORE_MS, "woke when the task came due, not after maxWait");
        }
    }

    @Test
    void anIdleConsumerWakesWhenAnotherWorkersLeaseExpires() throws Exception {
        try (RedisBroker b = broker()) {
            b.enqueue(List.of(msg("a", null)));
            assertEquals(1, claim(b, "dead-worker", Duration.ofMillis(700), Duration.ZERO).size());
            long t0 = System.nanoTime();
            List<Delivery> got = claim(b, "w", Duration.ofSeconds(30), LONG_WAIT);
            assertEquals(List.of("a"), got.stream().map(Delivery::id).toList());
            assertEquals(2, got.get(0).attempt(), "taken back from the expired lease");
            assertTrue(msSince(t0) < WOKE_BEFORE_MS, "woke when the lease expired, not after maxWait");
        }
    }

    @Test
    void aClaimThatGotFewerThanAskedStillKnowsWhenTheNextDelayedTaskIsDue() throws Exception {
        try (RedisBroker b = broker()) {
            b.enqueue(List.of(msg("a", null), msg("d", Instant.now().plusMillis(700))));
            assertEquals(List.of("a"), claim(b, "w", Duration.ofSeconds(30), LONG_WAIT).stream()
                    .map(Delivery::id).toList());
            // The short claim left the consumer a wake-up time; its next claim waits on the marker until then (the
            // markers the enqueues set are taken away, so that only that time can end the wait).
            dropMarker(b);
            long t0 = System.nanoTime();
            List<Delivery> got = claim(b, "w", Duration.ofSeconds(30), LONG_WAIT);
            assertEquals(List.of("d"), got.stream().map(Delivery::id).toList());
            assertTrue(msSince(t0) < WOKE_BEFORE_MS, "woke when the task came due, not after maxWait");
        }
    }

    @Test
    void aClaimThatGotFewerThanAskedStillKnowsWhenItsOwnLeasesEnd() throws Exception {
        try (RedisBroker b = broker()) {
            // A longer lease of another worker exists: the wake-up time is the earlier one, the lease just given.
            b.enqueue(List.of(msg("long", null)));
            assertEquals(1, claim(b, "slow-worker", Duration.ofSeconds(60), Duration.ZERO).size());
            b.enqueue(List.of(msg("a", null)));
            assertEquals(List.of("a"), claim(b, "w", Duration.ofMillis(700), LONG_WAIT).stream()
                    .map(Delivery::id).toList());
            dropMarker(b);
            long t0 = System.nanoTime();
            List<Delivery> got = claim(b, "w", Duration.ofMillis(700), LONG_WAIT);
            assertEquals(List.of("a"), got.stream().map(Delivery::id).toList(), "its own expired lease, reaped");
            assertEquals(2, got.get(0).attempt());
            assertTrue(msSince(t0) < WOKE_BEFORE_MS, "woke when the lease expired, not after maxWait");
        }
    }
}
