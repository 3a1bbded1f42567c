package io.taskq.redis.internal;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How a client reaches Redis: one server or a Sentinel-managed master, or a Cluster through seed nodes, with TLS
 * and timeouts. Both the broker's and the schedule store's builders keep one, so that the two connect alike and
 * {@code RedisScheduleStore.builder().from(broker)} can copy the broker's. Mutable while a builder fills it; a
 * built broker keeps a {@link #copy()}.
 */
public final class Endpoint {
    private RedisURI uri;
    private List<RedisURI> clusterSeeds;
    private Duration topologyRefresh = Duration.ofSeconds(5);
    private SslOptions ssl;
    private Path trustStore;
    private String trustStorePassword;
    private Duration commandTimeout = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration startupRetryTimeout = Duration.ofSeconds(60);

    /** One server or a Sentinel-managed master; replaces the cluster seeds. Never modified. */
    public void uri(RedisURI u) {
        this.uri = Objects.requireNonNull(u, "uri");
        this.clusterSeeds = null;
    }

    /** Cluster seed nodes as URI strings; replaces the URI. */
    public void cluster(String... seeds) {
        cluster(Arrays.stream(seeds).map(Endpoint::parse).toList());
    }

    /** Cluster seed nodes; replaces the URI. Never modified. */
    public void cluster(List<RedisURI> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed node");
        }
        this.clusterSeeds = List.copyOf(seeds);
        this.uri = null;
    }

    /** How often a Cluster client re-reads the topology without a trigger. */
    public void topologyRefresh(Duration period) {
        this.topologyRefresh = Settings.positive(period, "topologyRefreshPeriod");
    }

    /** TLS settings; take precedence over a trust store. */
    public void ssl(SslOptions options) {
        this.ssl = Objects.requireNonNull(options, "options");
    }

    /** A trust store file (JKS or PKCS12) with the CA of the server certificate. */
    public void trustStore(Path path, String password) {
        this.trustStore = Objects.requireNonNull(path, "path");
        this.trustStorePassword = password;
    }

    /** Timeout of ordinary commands. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Sets the timeout of ordinary commands. */
    public void commandTimeout(Duration timeout) {
        this.commandTimeout = Settings.positive(timeout, "commandTimeout");
    }

    /** TCP connect timeout. */
    public void connectTimeout(Duration timeout) {
        this.connectTimeout = Settings.positive(timeout, "connectTimeout");
    }

    /** How long the first connection is retried while Redis is not reachable; zero: not at all. */
    public Duration startupRetryTimeout() {
        return startupRetryTimeout;
    }

    /** Sets how long the first connection is retried; zero turns the retry off. */
    public void startupRetryTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "startupRetryTimeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("startupRetryTimeout must not be negative");
        }
        this.startupRetryTimeout = timeout;
    }

    /** The ACL user this connects as ("default" when the URI names none), for messages. */
    public String user() {
        RedisURI u = uri != null ? uri : clusterSeeds != null ? clusterSeeds.get(0) : null;
        return u == null || u.getUsername() == null || u.getUsername().isEmpty() ? "default" : u.getUsername();
    }

    /**
     * Parses a URI string; one without a scheme ({@code 127.0.0.1:6379}, which Lettuce would misread) is refused
     * with a message saying how to write it. The message masks a password.
     */
    public static RedisURI parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("Redis URI '" + uri.replaceAll(":[^:@/]*@", ":****@")
                    + "' has no scheme: write redis://host:port (rediss://host:port for TLS,"
                    + " redis-sentinel://host:port/0#master for Sentinel)");
        }
        return RedisURI.create(uri);
    }

    /** Whether a URI or cluster seeds were given. */
    public boolean isSet() {
        return uri != null || clusterSeeds != null;
    }

    /** An independent copy (URIs are never modified, so they may be shared). */
    public Endpoint copy() {
        Endpoint e = new Endpoint();
        e.copyFrom(this);
        return e;
    }

    /** Takes over every setting of {@code other}. */
    public void copyFrom(Endpoint other) {
        this.uri = other.uri;
        this.clusterSeeds = other.clusterSeeds;
        this.topologyRefresh = other.topologyRefresh;
        this.ssl = other.ssl;
        this.trustStore = other.trustStore;
        this.trustStorePassword = other.trustStorePassword;
        this.commandTimeout = other.commandTimeout;
        this.connectTimeout = other.connectTimeout;
        this.startupRetryTimeout = other.startupRetryTimeout;
    }

    /**
     * Client resources with a bounded reconnect back-off (20 ms doubling to 1 s): after a Redis restart a worker
     * is consuming again within about a second.
     */
    public static ClientResources newResources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * Opens the connection set on {@code resources}: auto-reconnect, commands rejected while disconnected,
     * command timeouts, TLS. The given URIs are copied with the command timeout, never modified.
     */
    public Connections connect(ClientResources resources) {
        if (!isSet()) {
            throw new IllegalStateException("set the Redis URI or the cluster seed nodes");
        }
        SslOptions tls = ssl;
        if (tls == null && trustStore != null) {
            tls = SslOptions.builder().jdkSslProvider()
                    .truststore(trustStore.toFile(), trustStorePassword == null ? "" : trustStorePassword)
                    .build();
        }
        Connections.Settings settings = new Connections.Settings(commandTimeout, connectTimeout, tls,
                topologyRefresh);
        if (clusterSeeds != null) {
            return Connections.cluster(resources, clusterSeeds.stream().map(this::withTimeout).toList(), settings);
        }
        return Connections.standalone(resources, withTimeout(uri), settings);
    }

    /** A copy of {@code u} with the command timeout; Sentinel URIs included. */
    private RedisURI withTimeout(RedisURI u) {
        RedisURI.Builder b = RedisURI.builder(u).withTimeout(commandTimeout);
        if (!u.getSentinels().isEmpty()) {
            // RedisURI.builder(source) copies neither the sentinels nor the master id.
            u.getSentinels().forEach(b::withSentinel);
            b.withSentinelMasterId(u.getSentinelMasterId());
        }
        return b.build();
    }

    /** Where this points, for logs: passwords masked. */
    public String where() {
        if (clusterSeeds != null) {
            return "cluster " + String.join(",", clusterSeeds.stream().map(Endpoint::masked).toList());
        }
        return uri == null ? "(not set)" : masked(uri);
    }

    /** A URI for logs, its password masked. */
    public static String masked(RedisURI uri) {
        boolean sentinel = !uri.getSentinels().isEmpty();
        StringBuilder s = new StringBuilder(sentinel ? "redis-sentinel://" : uri.isSsl() ? "rediss://" : "redis://");
        if (uri.getUsername() != null || uri.getPassword() != null) {
            if (uri.getUsername() != null) {
                s.append(uri.getUsername());
            }
            if (uri.getPassword() != null && uri.getPassword().length > 0) {
                s.append(":****");
            }
            s.append('@');
        }
        if (sentinel) {
            s.append(String.join(",", uri.getSentinels().stream().map(x -> x.getHost() + ":" + x.getPort()).toList()))
                    .append('/').append(uri.getDatabase()).append('#').append(uri.getSentinelMasterId());
        } else {
            s.append(uri.getHost()).append(':').append(uri.getPort()).append('/').append(uri.getDatabase());
        }
        return s.toString();
    }
}
