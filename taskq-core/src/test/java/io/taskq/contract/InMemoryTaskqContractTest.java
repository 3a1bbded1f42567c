package io.taskq.contract;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.time.Clock;

/** The end-to-end contract on the in-memory broker. */
class InMemoryTaskqContractTest extends TaskqContractTest {
    @Override
    protected Broker newBroker(Clock clock) {
        return new InMemoryBroker(clock);
    }
}
