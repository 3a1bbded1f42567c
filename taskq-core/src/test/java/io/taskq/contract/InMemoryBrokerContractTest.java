package io.taskq.contract;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.time.Clock;

/** The broker contract on the in-memory broker. */
class InMemoryBrokerContractTest extends BrokerContractTest {
    @Override
    protected Broker newBroker(Clock clock) {
        return new InMemoryBroker(clock);
    }
}
