package io.taskq.redis;

import io.taskq.redis.cluster.PerClassCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisSchedulerHaTest} on a 3-master Redis Cluster: each instance's {@link RedisBroker} (Taskq broker,
 * result backend and lease store) connects in Cluster mode and its {@link RedisScheduleStore} is built
 * {@link RedisScheduleStore.Builder#from(RedisBroker) from} that broker. Same scenarios, same assertions: the
 * leader killed mid-run and between runs, every due run published and executed exactly once; run-time edits
 * through a follower reach the leader through the store's change channel (a classic PUBLISH from the store's
 * slot, heard by subscriptions on any node); two prefixes, whose slots lie on different shards, stay apart.
 */
class RedisClusterSchedulerHaTest extends RedisSchedulerHaTest {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    RedisBroker newBroker(String prefix) {
        return RedisBroker.builder().cluster(cluster.seeds()).keyPrefix(prefix).build();
    }

    @Override
    RedisScheduleStore newStore(RedisBroker broker, String prefix) {
        return RedisScheduleStore.builder().from(broker).build();
    }
}
