package io.taskq.contract;

import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end contract with prefetching workers on Redis; every test gets its own key prefix. */
class RedisPrefetchTaskqContractTest extends PrefetchTaskqContractTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker(Clock clock) {
        return RedisBroker.builder().uri(server.url()).keyPrefix("p" + UUID.randomUUID().toString().substring(0, 8))
                .clock(clock).build();
    }
}
