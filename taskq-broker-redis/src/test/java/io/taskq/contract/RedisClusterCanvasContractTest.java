package io.taskq.contract;

import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The group and chord contract on a 3-master Redis Cluster: the members spread over queues in different slots, each
 * chord's state and callback in the callback queue's slot.
 */
class RedisClusterCanvasContractTest extends CanvasContractTest {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Broker newBroker(Clock clock) {
        return cluster.broker(b -> b.clock(clock));
    }
}
