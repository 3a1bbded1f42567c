package io.taskq.contract;

import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SPI broker contract on a 3-master Redis Cluster: the contract's queues hash to different
 * slots and shards, so claims over several queues use one blocking wait per slot.
 */
class RedisClusterBrokerContractTest extends BrokerContractTest {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Broker newBroker(Clock clock) {
        return cluster.broker(b -> b.clock(clock));
    }

    /** Queues of the contract hash to different slots: follow-ups to them are refused. */
    @Override
    protected boolean followUpsToAnyQueue() {
        return false;
    }
}
