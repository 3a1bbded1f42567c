package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Taskq;
import io.taskq.WorkerInfo;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.MemoryBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker registry on the in-memory broker, plus what only a test clock shows. */
class WorkerRegistryTest extends WorkerRegistryContract {
    /** A clock that moves only when told. */
    private static final class FixedClock extends Clock {
        private volatile Instant now;

        FixedClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Override
    protected Taskq.Builder builder() {
        return Taskq.builder();
    }

    @Test
    void anEntryLivesExactlyItsTimeToLiveByTheBrokersClock() {
        FixedClock clock = new FixedClock(Instant.parse("2026-01-01T00:00:00Z"));
        MemoryBroker broker = MemoryBroker.create(clock);
        try (Taskq t = Taskq.builder().broker(broker).closeBrokerOnClose(true).build()) {
            WorkerInfo w = new WorkerInfo("w", "n", null, "1", "h", 1, List.of("q"), Set.of(), 1, 0, 0, 0, 0, 0,
                    true, clock.instant(), clock.instant(), Duration.ofSeconds(5));
            broker.workerRegistry().orElseThrow().heartbeat(w, Duration.ofSeconds(15));
            clock.advance(Duration.ofMillis(14_999));
            assertEquals(List.of(w), t.workers());
            clock.advance(Duration.ofMillis(1));
            assertEquals(List.of(), t.workers(), "gone when its time to live has passed");
        }
    }

    @Test
    void aBrokerWithoutRegistrySaysSo() {
        MemoryBroker memory = MemoryBroker.create();
        ForwardingBroker none = new ForwardingBroker(memory) {
            @Override
            public java.util.Optional<io.taskq.spi.WorkerRegistry> workerRegistry() {
                return java.util.Optional.empty();
            }
        };
        try (Taskq t = Taskq.builder().broker(none).resultBackend(memory).build()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, t::workers);
            assertTrue(e.getMessage().contains("worker registry"), e.getMessage());
        } finally {
            memory.close();
        }
    }
}
