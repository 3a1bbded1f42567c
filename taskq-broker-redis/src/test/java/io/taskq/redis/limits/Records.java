package io.taskq.redis.limits;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Arrays;
import java.util.List;

/**
 * What the load test's tasks record, in Redis (so it survives the SIGKILL of the JVM that ran them): each record
 * is pushed on a list before the task goes on, with a synchronous call. The endpoint is a Redis URI, or
 * {@code cluster:} and the comma-separated seeds of a Cluster.
 */
final class Records implements AutoCloseable {
    private final AutoCloseable client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;
    private final String base;

    private Records(String endpoint, String prefix) {
        base = "rec:" + prefix + ":";
        if (endpoint.startsWith("cluster:")) {
            RedisClusterClient c = RedisClusterClient.create(Arrays.asList(endpoint.substring(8).split(",")).stream()
                    .map(io.lettuce.core.RedisURI::create).toList());
            var conn = c.connect();
            client = c::shutdown;
            connection = conn;
            commands = conn.sync();
        } else {
            RedisClient c = RedisClient.create(endpoint);
            var conn = c.connect();
            client = c::shutdown;
            connection = conn;
            commands = conn.sync();
        }
    }

    /** Records of the test under {@code prefix}, on {@code endpoint}. */
    static Records open(String endpoint, String prefix) {
        return new Records(endpoint, prefix);
    }

    /** The broker's endpoint argument for {@code RedisBroker.Builder}: seeds of a Cluster, or null. */
    static String[] clusterSeeds(String endpoint) {
        return endpoint.startsWith("cluster:") ? endpoint.substring(8).split(",") : null;
    }

    /** Appends {@code value} to the list {@code name}. */
    void push(String name, String value) {
        commands.rpush(base + name, value);
    }

    /** The list {@code name}, in the order pushed. */
    List<String> all(String name) {
        return commands.lrange(base + name, 0, -1);
    }

    /** How many records the list {@code name} holds. */
    long count(String name) {
        return commands.llen(base + name);
    }

    @Override
    public void close() throws Exception {
        connection.close();
        client.close();
    }
}
