package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.ResultBackend;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where Taskq's capabilities come from: the broker's own (queue administration, results, leases), through wrappers,
 * or the builder's.
 */
class QueueAdminWiringTest {

    @Test
    void theBrokersOwnAdministrationIsUsedThroughWrappers() {
        try (InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
             Taskq taskq = Taskq.builder().broker(new ForwardingBroker(memory) { }).resultBackend(memory).build()) {
            assertSame(memory, taskq.queueAdmin());
            taskq.submit("t.any");
            assertEquals(1, taskq.stats("default").ready());
        }
    }

    @Test
    void aBrokerWithoutAdministrationNeedsOneFromTheBuilder() {
        try (InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC())) {
            ForwardingBroker bare = new ForwardingBroker(memory) {
                @Override
                public Optional<QueueAdmin> queueAdmin() {
                    return Optional.empty();
                }
            };
            try (Taskq without = Taskq.builder().broker(bare).resultBackend(memory).build()) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> without.stats("default"));
                assertEquals(true, e.getMessage().contains("Taskq.Builder.queueAdmin"), e.getMessage());
            }
            try (Taskq with = Taskq.builder().broker(bare).resultBackend(memory).queueAdmin(memory).build()) {
                assertSame(memory, with.queueAdmin());
                assertEquals(0, with.purgeDeadLetters("default"));
            }
        }
    }

    @Test
    void aWrappedBrokerStillBringsItsResultsAndLeases() {
        try (InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
             Taskq taskq = Taskq.builder().broker(new ForwardingBroker(memory) { }).build()) {
            assertSame(memory, taskq.resultBackend(), "no resultBackend(...) needed for a wrapper");
            assertSame(memory, taskq.broker().leases().orElseThrow());
        }
    }

    @Test
    void aBrokerWithoutResultsNeedsABackendFromTheBuilder() {
        try (InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC())) {
            ForwardingBroker bare = new ForwardingBroker(memory) {
                @Override
                public Optional<ResultBackend> resultBackend() {
                    return Optional.empty();
                }
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Taskq.builder().broker(bare).build());
            assertEquals(true, e.getMessage().contains("keeps no results"), e.getMessage());
        }
    }
}
