package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Taskq;
import io.taskq.spi.Broker;
import io.taskq.spi.EventLog;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.MemoryBroker;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The event stream on the in-memory broker; and a broker that keeps none. */
class EventsTest extends EventsContract {
    @Override
    protected Broker newBroker() {
        return MemoryBroker.create();
    }

    @Test
    void aBrokerWithoutAnEventStreamSaysSo() {
        MemoryBroker memory = MemoryBroker.create();
        ForwardingBroker none = new ForwardingBroker(memory) {
            @Override
            public Optional<EventLog> eventLog() {
                return Optional.empty();
            }
        };
        try (Taskq t = Taskq.builder().broker(none).resultBackend(memory).tasks(new ExtensionTasks()).build()) {
            assertThrows(UnsupportedOperationException.class, t::events);
            assertTrue(t.submit(ExtensionTasks::ok, "still").created(), "tasks go on without a stream");
        } finally {
            memory.close();
        }
    }
}
