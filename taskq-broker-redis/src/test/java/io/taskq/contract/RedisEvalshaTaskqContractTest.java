package io.taskq.contract;

import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The end-to-end contract with the queue scripts run by EVALSHA (see {@link RedisEvalshaBrokerContractTest}), and
 * with workers that never hold tasks ({@code prefetch(0)}; the other Redis suites run the default, adaptive
 * prefetch, or a fixed one).
 */
class RedisEvalshaTaskqContractTest extends TaskqContractTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker(Clock clock) {
        return server.broker(clock, b -> b.functions(false));
    }

    @Override
    protected WorkerOptions.Builder options() {
        return super.options().prefetch(0);
    }
}
