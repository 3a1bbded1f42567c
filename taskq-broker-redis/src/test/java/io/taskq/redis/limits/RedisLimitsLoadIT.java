package io.taskq.redis.limits;

import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits' load and fault test on a single Redis server. */
class RedisLimitsLoadIT extends LimitsLoad {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected RedisBroker newBroker(String prefix) {
        return RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
    }

    @Override
    protected String endpoint() {
        return server.url();
    }
}
