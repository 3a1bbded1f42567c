package io.taskq.contract;

import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.scheduler.contract.ScheduleStoreContractTest;
import io.taskq.scheduler.spi.ScheduleStore;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schedule store contract on Redis. Every test gets its own key prefix; the second view is another store (its
 * own connections) on the same Redis and prefix, as another application instance would have it.
 */
class RedisScheduleStoreContractTest extends ScheduleStoreContractTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected ScheduleStore newStore() {
        return RedisScheduleStore.builder().uri(server.url())
                .keyPrefix("s" + UUID.randomUUID().toString().substring(0, 8)).build();
    }

    @Override
    protected ScheduleStore secondView(ScheduleStore store) {
        return RedisScheduleStore.builder().uri(server.url())
                .keyPrefix(((RedisScheduleStore) store).keyPrefix()).build();
    }
}
