package io.taskq.redis.limits;

import io.taskq.redis.RedisBroker;
import io.taskq.redis.cluster.PerClassCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits' load and fault test on a 3-master Redis Cluster (each limited queue in its slot). */
class RedisClusterLimitsLoadIT extends LimitsLoad {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected RedisBroker newBroker(String prefix) {
        return RedisBroker.builder().cluster(cluster.seeds()).keyPrefix(prefix).build();
    }

    @Override
    protected String endpoint() {
        return "cluster:" + String.join(",", cluster.seeds());
    }
}
