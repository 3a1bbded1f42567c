package io.taskq.redis;

import io.lettuce.core.RedisURI;
import io.taskq.redis.internal.Endpoint;
import io.taskq.redis.internal.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a client of this module reaches Redis, and under which key prefix: the settings every builder here shares
 * ({@link RedisBackend.Builder}, {@link RedisBroker.Builder}, {@link RedisScheduleStore.Builder}), kept in one
 * place so that they connect alike.
 *
 * @param <B> the builder
 */
abstract class ConnectionOptions<B extends ConnectionOptions<B>> {
    final Endpoint endpoint = new Endpoint();
    String keyPrefix = "taskq";

    ConnectionOptions() {
    }

    abstract B self();

    /**
     * The server, e.g. {@code redis://user:pass@host:6379/0} ({@code rediss://} for TLS; the user is the ACL user),
     * or a Sentinel-managed master: {@code redis-sentinel://:pass@s1:26379,s2:26379/0#mymaster}. Replaces
     * {@link #cluster}.
     */
    public B uri(String uri) {
        return uri(Endpoint.parse(uri));
    }

    /** The server as a Lettuce URI (Sentinel, TLS, ACL settings included; not modified). Replaces {@link #cluster}. */
    public B uri(RedisURI uri) {
        endpoint.uri(uri);
        return self();
    }

    /**
     * Connects to a Redis Cluster through these seed nodes (any reachable node will do; the topology is
     * discovered and refreshed). Each seed like {@link #uri(String)}: {@code redis://user:pass@host:port} or
     * {@code rediss://} for TLS. Replaces {@link #uri}.
     */
    public B cluster(String... seeds) {
        endpoint.cluster(seeds);
        return self();
    }

    /** A Redis Cluster through these seed nodes, as Lettuce URIs (not modified). Replaces {@link #uri}. */
    public B cluster(List<RedisURI> seeds) {
        endpoint.cluster(seeds);
        return self();
    }

    /**
     * How often a Cluster client re-reads the topology even without a trigger (default 5 s). MOVED/ASK
     * redirects and failing reconnects trigger a refresh at once.
     */
    public B topologyRefreshPeriod(Duration period) {
        endpoint.topologyRefresh(period);
        return self();
    }

    /** TLS settings (trust store, key store, protocols) for {@code rediss://} URIs. */
    public B sslOptions(io.lettuce.core.SslOptions options) {
        endpoint.ssl(options);
        return self();
    }

    /**
     * A trust store (JKS or PKCS12 file) holding the CA that signed the Redis server certificate, for
     * {@code rediss://} URIs; ignored if {@link #sslOptions} is set.
     */
    public B trustStore(Path path, String password) {
        endpoint.trustStore(path, password);
        return self();
    }

    /**
     * The namespace (default "taskq"): clients with different prefixes on one Redis never see each other's tasks,
     * results, leases, schedule entries or notifications. Letters, digits, '.', '_' and '-' only.
     */
    public B keyPrefix(String prefix) {
        this.keyPrefix = Settings.keyPrefix(prefix);
        return self();
    }

    /** Timeout of ordinary commands (default 5 s); blocking waits get their block time plus 2 s. */
    public B commandTimeout(Duration timeout) {
        endpoint.commandTimeout(timeout);
        return self();
    }

    /** TCP connect timeout (default 2 s). */
    public B connectTimeout(Duration timeout) {
        endpoint.connectTimeout(timeout);
        return self();
    }

    /**
     * How long {@code build()} keeps trying to reach Redis when it is not reachable yet (refused, timed out, still
     * loading; default 60 s), with a growing pause and a WARN per retry, so that an application started during a
     * Redis restart waits instead of failing. {@link Duration#ZERO}: fail at once. Wrong credentials and missing
     * ACL permissions fail at once either way.
     */
    public B startupRetryTimeout(Duration timeout) {
        endpoint.startupRetryTimeout(timeout);
        return self();
    }

    /** Fails unless a URI or cluster seeds were set. */
    void checkSet(String what) {
        if (!endpoint.isSet()) {
            throw new IllegalStateException("set the Redis URI or the cluster seed nodes" + what);
        }
    }
}
