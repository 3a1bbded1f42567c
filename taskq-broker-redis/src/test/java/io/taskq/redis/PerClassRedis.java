package io.taskq.redis;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis server for the tests of one class, as a JUnit extension: {@code @RegisterExtension static final
 * PerClassRedis server = new PerClassRedis();} starts one with {@link RedisTestServer#start()} (which says where it
 * comes from) before the class's first test and stops it after its last.
 */
public final class PerClassRedis implements BeforeAllCallback, AfterAllCallback {
    private volatile RedisTestServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisTestServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisTestServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }

    private RedisTestServer server() {
        RedisTestServer s = server;
        if (s == null) {
            throw new IllegalStateException("no Redis outside the tests of the class that registered it");
        }
        return s;
    }

    /** See {@link RedisTestServer#url()}. */
    public String url() {
        return server().url();
    }

    /** See {@link RedisTestServer#with(Consumer)}. */
    public void with(Consumer<RedisCommands<String, String>> body) {
        server().with(body);
    }

    /**
     * A broker on this server under a key prefix of its own (so tests of one class never see each other's keys),
     * with {@code clock} and whatever {@code more} sets: what the contract suites on Redis test.
     */
    public RedisBroker broker(Clock clock, UnaryOperator<RedisBroker.Builder> more) {
        return more.apply(RedisBroker.builder().uri(url()).clock(clock)
                .keyPrefix("c" + UUID.randomUUID().toString().substring(0, 8))).build();
    }
}
