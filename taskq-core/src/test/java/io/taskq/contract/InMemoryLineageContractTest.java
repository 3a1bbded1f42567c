package io.taskq.contract;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.time.Clock;

/** The lineage contract on the in-memory broker. */
class InMemoryLineageContractTest extends LineageContractTest {
    @Override
    protected Broker newBroker(Clock clock) {
        return new InMemoryBroker(clock);
    }
}
