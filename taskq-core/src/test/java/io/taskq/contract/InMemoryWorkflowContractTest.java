package io.taskq.contract;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.time.Clock;

/** The workflow contract on the in-memory broker. */
class InMemoryWorkflowContractTest extends WorkflowContractTest {
    @Override
    protected Broker newBroker(Clock clock) {
        return new InMemoryBroker(clock);
    }
}
