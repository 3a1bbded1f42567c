package io.taskq.contract;

import io.taskq.redis.PerClassRedis;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end contract with the queue scripts run by EVALSHA (see {@link RedisEvalshaBrokerContractTest}). */
class RedisEvalshaTaskqContractTest extends TaskqContractTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker(Clock clock) {
        return server.broker(clock, b -> b.functions(false));
    }
}
