package io.taskq.extend;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.cluster.PerClassCluster;
import io.taskq.spi.Broker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote control on a 3-master Redis Cluster: the control stream and the reply lists are single keys under the
 * prefix's hash tag, in its slot; the listeners' XREAD BLOCK and the requesters' BLPOP go to that slot's master.
 */
class RedisClusterControlTest extends ControlContract {
    @RegisterExtension
    static final PerClassCluster cluster = new PerClassCluster();

    @Override
    protected Broker newBroker() {
        return cluster.broker(b -> b);
    }

    @Override
    protected Broker sameNamespace(Broker first) {
        return cluster.broker(b -> b.keyPrefix(((RedisBroker) first).keyPrefix()));
    }

    @Override
    protected void writeMalformedCommands(Broker broker) {
        String stream = "{" + ((RedisBroker) broker).keyPrefix() + "}:control";
        RedisClusterClient client = RedisClusterClient.create(Arrays.stream(cluster.seeds()).map(RedisURI::create)
                .toList());
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            for (Map<String, String> entry : RedisControlTest.malformedEntries()) {
                c.sync().xadd(stream, entry);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
