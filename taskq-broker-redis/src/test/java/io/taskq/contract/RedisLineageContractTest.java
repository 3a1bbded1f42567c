package io.taskq.contract;

import io.taskq.redis.PerClassRedis;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lineage contract on a single Redis server; every test gets its own key prefix. */
class RedisLineageContractTest extends LineageContractTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker(Clock clock) {
        return server.broker(clock, b -> b);
    }
}
