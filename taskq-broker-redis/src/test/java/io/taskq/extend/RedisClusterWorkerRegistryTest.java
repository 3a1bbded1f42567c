package io.taskq.extend;

import io.taskq.Taskq;
import io.taskq.redis.cluster.PerClassCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker registry on a 3-master Redis Cluster: every registry key shares the prefix's hash tag, so heartbeats
 * and the listing's pipelined reads go to one slot while the workers' queues live on other shards.
 */
class RedisClusterWorkerRegistryTest extends WorkerRegistryContract {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Taskq.Builder builder() {
        return Taskq.builder().broker(cluster.broker(b -> b)).closeBrokerOnClose(true);
    }
}
