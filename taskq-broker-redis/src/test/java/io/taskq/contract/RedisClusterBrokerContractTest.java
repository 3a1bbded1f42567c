package io.taskq.contract;

import io.taskq.redis.RedisBroker;
import io.taskq.redis.cluster.LocalCluster;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The SPI broker contract on a 3-master Redis Cluster: the contract's queues hash to different
 * slots and shards, so claims over several queues use one blocking wait per slot.
 */
class RedisClusterBrokerContractTest extends BrokerContractTest {
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

    /** Queues of the contract hash to different slots: follow-ups to them are refused. */
    @Override
    protected boolean followUpsToAnyQueue() {
        return false;
    }
}
