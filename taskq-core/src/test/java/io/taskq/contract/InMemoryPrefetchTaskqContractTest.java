package io.taskq.contract;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.time.Clock;

/** The end-to-end contract with prefetching workers on the in-memory broker. */
class InMemoryPrefetchTaskqContractTest extends PrefetchTaskqContractTest {
    @Override
    protected Broker newBroker(Clock clock) {
        return new InMemoryBroker(clock);
    }
}
