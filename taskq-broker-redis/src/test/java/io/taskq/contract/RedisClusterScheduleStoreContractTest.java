package io.taskq.contract;

import io.taskq.redis.RedisScheduleStore;
import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.scheduler.contract.ScheduleStoreContractTest;
import io.taskq.scheduler.spi.ScheduleStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schedule store contract on a 3-master Redis Cluster. Every test gets its own key prefix, so the stores'
 * slots ({@code {prefix}}) land on different shards; the second view is another store with its own cluster client,
 * so its change notifications arrive through a subscription on whichever node Lettuce picked (classic PUBLISH is
 * forwarded cluster-wide).
 */
class RedisClusterScheduleStoreContractTest extends ScheduleStoreContractTest {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected ScheduleStore newStore() {
        return RedisScheduleStore.builder().cluster(cluster.seeds())
                .keyPrefix(PerClassCluster.newPrefix("s")).build();
    }

    @Override
    protected ScheduleStore secondView(ScheduleStore store) {
        return RedisScheduleStore.builder().cluster(cluster.seeds())
                .keyPrefix(((RedisScheduleStore) store).keyPrefix()).build();
    }
}
