package io.taskq.contract;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.time.Clock;

/** The queue operations on the in-memory broker. */
class InMemoryQueueOperationsTest extends QueueOperationsContract {
    @Override
    protected Broker newBroker(Clock clock) {
        return new InMemoryBroker(clock);
    }
}
