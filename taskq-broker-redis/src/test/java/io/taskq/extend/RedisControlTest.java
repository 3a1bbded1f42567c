package io.taskq.extend;

import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.internal.ControlEntries;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote control on Redis: commands on the prefix's control stream, read with XREAD BLOCK by one listener per taskq,
 * replies on a list per command popped with BLPOP; two brokers on one prefix stand for two processes.
 */
class RedisControlTest extends ControlContract {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Override
    protected Broker newBroker() {
        return server.broker(Clock.systemUTC(), b -> b);
    }

    @Override
    protected Broker sameNamespace(Broker first) {
        return server.broker(Clock.systemUTC(), b -> b.keyPrefix(((RedisBroker) first).keyPrefix()));
    }

    @Override
    protected void writeMalformedCommands(Broker broker) {
        String stream = "{" + ((RedisBroker) broker).keyPrefix() + "}:control";
        server.with(c -> {
            for (Map<String, String> entry : malformedEntries()) {
                c.xadd(stream, entry);
            }
        });
    }

    /** Entries the listener must skip: no command field, not JSON, too large, an unsafe id, wrong types. */
    static java.util.List<Map<String, String>> malformedEntries() {
        String f = ControlEntries.F_COMMAND;
        String valid = "{\"v\":1,\"id\":\"%s\",\"name\":\"pause\",\"destination\":%s,\"args\":\"{\\\"queue\\\":"
                + "\\\"pa\\\"}\",\"created_at\":1,\"expires_at\":99999999999999}";
        return java.util.List.of(
                Map.of("other", "x"),
                Map.of(f, "not json {"),
                Map.of(f, "[1,2]"),
                Map.of(f, "{\"v\":1,\"id\":\"" + "x".repeat(200_000) + "\"}"),
                Map.of(f, String.format(valid, "../../etc", "[]")),
                Map.of(f, String.format(valid, "ok-id", "\"w1\"")),
                Map.of(f, String.format(valid, "ok-id", "[]").replace("\"v\":1", "\"v\":99")),
                Map.of(f, String.format(valid, "ok-id", "[]").replace("\"created_at\":1", "\"created_at\":\"x\"")));
    }
}
