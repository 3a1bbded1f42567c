package io.taskq.extend;

import io.taskq.redis.RedisBroker;
import io.taskq.redis.cluster.LocalCluster;
import io.taskq.spi.Broker;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The event stream on a 3-master Redis Cluster: the stream lives in its prefix's slot, and the subscriptions'
 * XREAD BLOCK is routed to that slot's master on a connection of its own.
 */
class RedisClusterEventsTest extends EventsContract {
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(3, 0);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected Broker newBroker() {
        return RedisBroker.builder().cluster(cluster.seeds())
                .keyPrefix("c" + UUID.randomUUID().toString().substring(0, 8)).build();
    }
}
