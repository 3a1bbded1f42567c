package io.taskq.extend;

import io.taskq.redis.PerClassRedis;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The event stream on Redis: a STREAM per key prefix, read with XRANGE and followed with XREAD BLOCK. */
class RedisEventsTest extends EventsContract {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker() {
        return server.broker(Clock.systemUTC(), b -> b);
    }
}
