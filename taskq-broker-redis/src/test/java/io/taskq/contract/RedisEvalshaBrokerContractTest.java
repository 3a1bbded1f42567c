package io.taskq.contract;

import io.taskq.redis.PerClassRedis;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SPI broker contract with the queue scripts run by EVALSHA, as on Redis 6.2 or under an ACL without
 * {@code FUNCTION} (the other Redis suites run them as a function library, the default on Redis 7).
 */
class RedisEvalshaBrokerContractTest extends BrokerContractTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker(Clock clock) {
        return server.broker(clock, b -> b.functions(false));
    }
}
