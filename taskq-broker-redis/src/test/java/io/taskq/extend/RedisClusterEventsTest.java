package io.taskq.extend;

import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.spi.Broker;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event stream on a 3-master Redis Cluster: the stream lives in its prefix's slot, and the subscriptions'
 * XREAD BLOCK is routed to that slot's master on a connection of its own.
 */
class RedisClusterEventsTest extends EventsContract {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Broker newBroker() {
        return cluster.broker(b -> b);
    }
}
