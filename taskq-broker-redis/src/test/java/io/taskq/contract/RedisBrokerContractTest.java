package io.taskq.contract;

import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisTestServer;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SPI broker contract on Redis; every test gets its own key prefix. */
class RedisBrokerContractTest extends BrokerContractTest {
    private static RedisTestServer server;

    @BeforeAll
    static void startRedis() {
        server = RedisTestServer.start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @Override
    protected Broker newBroker(Clock clock) {
        return RedisBroker.builder().uri(server.url()).keyPrefix("c" + UUID.randomUUID().toString().substring(0, 8))
                .clock(clock).build();
    }
}
