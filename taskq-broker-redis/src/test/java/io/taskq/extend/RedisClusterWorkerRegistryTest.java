package io.taskq.extend;

import io.taskq.Taskq;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.cluster.LocalCluster;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The worker registry on a 3-master Redis Cluster: every registry key shares the prefix's hash tag, so heartbeats
 * and the listing's pipelined reads go to one slot while the workers' queues live on other shards.
 */
class RedisClusterWorkerRegistryTest extends WorkerRegistryContract {
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
    protected Taskq.Builder builder() {
        return Taskq.builder().broker(RedisBroker.builder().cluster(cluster.seeds())
                .keyPrefix("c" + UUID.randomUUID().toString().substring(0, 8)).build()).closeBrokerOnClose(true);
    }
}
