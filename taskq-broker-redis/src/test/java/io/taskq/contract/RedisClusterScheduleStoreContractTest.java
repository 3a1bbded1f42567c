package io.taskq.contract;

import io.taskq.redis.RedisScheduleStore;
import io.taskq.redis.cluster.LocalCluster;
import io.taskq.scheduler.contract.ScheduleStoreContractTest;
import io.taskq.scheduler.spi.ScheduleStore;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The schedule store contract on a 3-master Redis Cluster. Every test gets its own key prefix, so the stores'
 * slots ({@code {prefix}}) land on different shards; the second view is another store with its own cluster client,
 * so its change notifications arrive through a subscription on whichever node Lettuce picked (classic PUBLISH is
 * forwarded cluster-wide).
 */
class RedisClusterScheduleStoreContractTest extends ScheduleStoreContractTest {
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
    protected ScheduleStore newStore() {
        return RedisScheduleStore.builder().cluster(cluster.seeds())
                .keyPrefix("s" + UUID.randomUUID().toString().substring(0, 8)).build();
    }

    @Override
    protected ScheduleStore secondView(ScheduleStore store) {
        return RedisScheduleStore.builder().cluster(cluster.seeds())
                .keyPrefix(((RedisScheduleStore) store).keyPrefix()).build();
    }
}
