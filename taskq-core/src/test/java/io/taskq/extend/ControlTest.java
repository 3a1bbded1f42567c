package io.taskq.extend;

import io.taskq.spi.Broker;
import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import io.taskq.spi.MemoryBroker;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Remote control on the in-memory broker: the taskqs of one JVM sharing it. */
class ControlTest extends ControlContract {
    @Override
    protected Broker newBroker() {
        return MemoryBroker.create(Clock.systemUTC());
    }

    /** The same broker: closing it twice is harmless. */
    @Override
    protected Broker sameNamespace(Broker first) {
        return first;
    }

    /** Arguments that are not a JSON object: each worker replies with an error and the listener goes on. */
    @Override
    protected void writeMalformedCommands(Broker broker) {
        ControlBus bus = broker.controlBus().orElseThrow();
        Instant now = Instant.now();
        bus.send(new ControlCommand(UUID.randomUUID().toString(), "pause", List.of(), "not json", now,
                now.plusSeconds(30)));
        bus.send(new ControlCommand(UUID.randomUUID().toString(), "set_concurrency", List.of(), "{\"n\":\"x\"}", now,
                now.plusSeconds(30)));
    }
}
