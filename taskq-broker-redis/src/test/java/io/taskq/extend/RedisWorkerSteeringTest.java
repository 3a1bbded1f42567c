package io.taskq.extend;

import io.taskq.Taskq;
import io.taskq.redis.PerClassRedis;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pausing queues (the claim waiting on the markers is woken and asks again) and changing the concurrency on Redis. */
class RedisWorkerSteeringTest extends WorkerSteeringContract {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Taskq.Builder builder() {
        return Taskq.builder().broker(server.broker(Clock.systemUTC(), b -> b)).closeBrokerOnClose(true);
    }
}
