package io.taskq.contract;

import io.taskq.redis.RedisBroker;
import io.taskq.redis.cluster.LocalCluster;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The end-to-end (Taskq + worker) contract on a 3-master Redis Cluster: the contract's queues hash to different
 * slots and shards, so claims over several queues use one blocking wait per slot.
 */
class RedisClusterTaskqContractTest extends TaskqContractTest {
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
    protected Broker newBroker(Clock clock) {
        return RedisBroker.builder().cluster(cluster.seeds())
                .keyPrefix("c" + UUID.randomUUID().toString().substring(0, 8)).clock(clock).build();
    }
}
