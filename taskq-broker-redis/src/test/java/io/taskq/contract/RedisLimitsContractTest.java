package io.taskq.contract;

import io.taskq.redis.PerClassRedis;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits contract on a single Redis server; every test gets its own key prefix. */
class RedisLimitsContractTest extends LimitsContractTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker(Clock clock) {
        return server.broker(clock, b -> b);
    }
}
