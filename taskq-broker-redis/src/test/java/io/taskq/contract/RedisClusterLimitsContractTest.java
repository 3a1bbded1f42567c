package io.taskq.contract;

import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits contract on a 3-master Redis Cluster: a limit's state lives in its queue's slot. */
class RedisClusterLimitsContractTest extends LimitsContractTest {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Broker newBroker(Clock clock) {
        return cluster.broker(b -> b.clock(clock));
    }
}
