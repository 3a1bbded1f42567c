package io.taskq.contract;

import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workflow contract on a 3-master Redis Cluster: the contract's chains stay in one queue (one slot), and a step to
 * a queue in another slot is refused at submit.
 */
class RedisClusterWorkflowContractTest extends WorkflowContractTest {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Broker newBroker(Clock clock) {
        return cluster.broker(b -> b.clock(clock));
    }
}
