package io.taskq.contract;

import io.taskq.redis.PerClassRedis;
import io.taskq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queue operations on Redis with the queue spread over 3 partitions: the age, the purge and the dead-letter
 * searches take every partition, and a search's steps merge them into one order.
 */
class RedisPartitionedQueueOperationsTest extends QueueOperationsContract {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker(Clock clock) {
        return server.broker(clock, b -> b.partitions("q", 3));
    }

    @Override
    protected boolean partitioned() {
        return true;
    }
}
