package io.taskq.contract;

import io.taskq.WorkerOptions;
import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.time.Clock;

/**
 * The end-to-end contract on the in-memory broker with a worker that never holds tasks ({@code prefetch(0)}), since
 * the default (adaptive prefetch) takes the path of a holding worker.
 */
class InMemoryNoPrefetchTaskqContractTest extends TaskqContractTest {
    @Override
    protected Broker newBroker(Clock clock) {
        return new InMemoryBroker(clock);
    }

    @Override
    protected WorkerOptions.Builder options() {
        return super.options().prefetch(0);
    }
}
