package io.taskq.contract;

import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lineage contract on a 3-master Redis Cluster: the listing and the revoke go to every queue's slot. */
class RedisClusterLineageContractTest extends LineageContractTest {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Broker newBroker(Clock clock) {
        return cluster.broker(b -> b.clock(clock));
    }
}
