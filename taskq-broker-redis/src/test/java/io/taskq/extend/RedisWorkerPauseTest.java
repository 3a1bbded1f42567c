package io.taskq.extend;

import io.taskq.Taskq;
import io.taskq.redis.PerClassRedis;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pausing queues on a Redis broker: the claim waiting on the queues' markers is woken and asks again. */
class RedisWorkerPauseTest extends WorkerPauseContract {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Taskq.Builder builder() {
        return Taskq.builder().broker(server.broker(Clock.systemUTC(), b -> b)).closeBrokerOnClose(true);
    }
}
