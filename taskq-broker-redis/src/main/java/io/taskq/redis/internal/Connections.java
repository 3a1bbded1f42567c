package io.taskq.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's view of Redis, whatever the deployment: one server, a Sentinel-managed master (Lettuce asks the
 * sentinels for the master at every (re)connect) or a Cluster (commands routed by the slot of their first key,
 * topology refreshed periodically and on MOVED/ASK/reconnect triggers). Hands out the shared command connection,
 * dedicated connections for blocking waits, and pub/sub connections.
 */
public abstract class Connections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    /** A connection that can run one blocking command at a time. */
    public interface Blocking {
        /** The async commands of this connection. */
        RedisClusterAsyncCommands<String, String> async();

        /** Whether it is still open. */
        boolean isOpen();

        /** Closes it without waiting. */
        void closeAsync();
    }

    /** Settings shared by every kind of deployment. */
    public record Settings(Duration commandTimeout, Duration connectTimeout, SslOptions ssl,
                           Duration topologyRefresh) {
    }

    /** The shared connection's commands (thread-safe, pipelined). */
    public abstract RedisClusterCommands<String, String> commands();

    /** A new connection for a blocking wait. */
    public abstract Blocking blocking();

    /** A new pub/sub connection. */
    public abstract StatefulRedisPubSubConnection<String, String> pubSub();

    /** Whether this is a Redis Cluster: keys of different slots cannot share one command. */
    public abstract boolean cluster();

    /**
     * Called when a write was refused with READONLY: the connection talks to a demoted master (Sentinel failover
     * without a disconnect). Reconnects so that the master is looked up again.
     */
    public abstract void readOnly();

    /** The slot group of a key: keys of one group may share a multi-key command. */
    public int group(String key) {
        return cluster() ? SlotHash.getSlot(key) : 0;
    }

    @Override
    public abstract void close();

    private static ClientOptions.Builder common(ClientOptions.Builder b, Settings s) {
        b.autoReconnect(true)
                // Fail fast while disconnected instead of queueing: the worker retries, nothing waits blindly.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(s.connectTimeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.builder()
                        .timeoutSource(new BlockingAwareTimeouts(s.commandTimeout().toMillis())).build());
        if (s.ssl() != null) {
            b.sslOptions(s.ssl());
        }
        return b;
    }

    /** One server or a Sentinel-managed master. */
    public static Connections standalone(ClientResources resources, RedisURI uri, Settings s) {
        return new Standalone(resources, uri, s);
    }

    /** A Redis Cluster reached through seed nodes. */
    public static Connections cluster(ClientResources resources, List<RedisURI> seeds, Settings s) {
        return new Cluster(resources, seeds, s);
    }

    private static final class Standalone extends Connections {
        private final RedisClient client;
        private final RedisURI uri;
        private volatile StatefulRedisConnection<String, String> conn;
        private final Object lock = new Object();
        private final AtomicBoolean probing = new AtomicBoolean();
        private final ScheduledFuture<?> probe;
        private volatile boolean closed;

        Standalone(ClientResources resources, RedisURI uri, Settings s) {
            this.uri = uri;
            client = RedisClient.create(resources, uri);
            client.setOptions(common(ClientOptions.builder(), s).build());
            try {
                conn = client.connect(StringCodec.UTF8);
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                throw e;
            }
            probe = resources.eventExecutorGroup().scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
        }

        /**
         * Silent-connection watchdog, once a second: a PING on the shared connection (behind whatever is in flight
         * on it). A connection that Lettuce still believes connected but that answers nothing within the command
         * timeout (a NAT or firewall that lost the flow, a peer gone without RST: TCP would retry for ~15 min) is
         * replaced by a new one, as after READONLY. A disconnected connection is left to Lettuce's reconnect.
         */
        private void probe() {
            StatefulRedisConnection<String, String> c = conn;
            if (closed || !c.isOpen() || !probing.compareAndSet(false, true)) {
                return;
            }
            c.async().ping().whenComplete((pong, e) -> {
                probing.set(false);
                Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (t instanceof RedisCommandTimeoutException && c == conn && !closed) {
                    replaceSilent(c);
                }
            });
        }

        private void replaceSilent(StatefulRedisConnection<String, String> silent) {
            // Asynchronous: this runs on a Lettuce thread, which must not block on a connect.
            client.connectAsync(StringCodec.UTF8, uri).whenComplete((fresh, e) -> {
                if (e != null) {
                    log.warn("Redis connection answers nothing and a new one failed, will retry: {}", e.toString());
                    return;
                }
                synchronized (lock) {
                    if (closed || conn != silent) {
                        fresh.closeAsync();
                        return;
                    }
                    conn = fresh;
                }
                log.warn("Redis connection answered nothing within the command timeout although connected (network"
                        + " drop without a reset?); replaced it with a new connection");
                silent.closeAsync();
            });
        }

        @Override
        public RedisClusterCommands<String, String> commands() {
            return conn.sync();
        }

        @Override
        public Blocking blocking() {
            StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
            return wrap(c, c.async());
        }

        @Override
        public StatefulRedisPubSubConnection<String, String> pubSub() {
            return client.connectPubSub(StringCodec.UTF8);
        }

        @Override
        public boolean cluster() {
            return false;
        }

        @Override
        public void readOnly() {
            synchronized (lock) {
                StatefulRedisConnection<String, String> old = conn;
                try {
                    conn = client.connect(StringCodec.UTF8);
                    log.warn("Redis refused a write (READONLY: the master was demoted); reconnected to the current"
                            + " master");
                    old.closeAsync();
                } catch (RuntimeException e) {
                    log.warn("reconnect after READONLY failed, will retry: {}", e.toString());
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            probe.cancel(false);
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static final class Cluster extends Connections {
        private final RedisClusterClient client;
        private final StatefulRedisClusterConnection<String, String> conn;

        Cluster(ClientResources resources, List<RedisURI> seeds, Settings s) {
            client = RedisClusterClient.create(resources, seeds);
            ClusterClientOptions.Builder b = ClusterClientOptions.builder();
            common(b, s);
            b.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(s.topologyRefresh())
                    // MOVED/ASK redirects, persistent reconnects, unknown nodes, uncovered slots: refresh now.
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                    .refreshTriggersReconnectAttempts(2)
                    .closeStaleConnections(true)
                    .dynamicRefreshSources(true)
                    .build())
                    // A promoted replica or a new node may answer before every client knows it.
                    .validateClusterNodeMembership(false)
                    .maxRedirects(8);
            client.setOptions(b.build());
            try {
                conn = client.connect(StringCodec.UTF8);
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                throw e;
            }
        }

        @Override
        public RedisClusterCommands<String, String> commands() {
            return conn.sync();
        }

        @Override
        public Blocking blocking() {
            StatefulRedisClusterConnection<String, String> c = client.connect(StringCodec.UTF8);
            return wrap(c, c.async());
        }

        @Override
        public StatefulRedisPubSubConnection<String, String> pubSub() {
            return client.connectPubSub(StringCodec.UTF8);
        }

        @Override
        public boolean cluster() {
            return true;
        }

        @Override
        public void readOnly() {
            // The topology refresh moves the slot to the new master; the caller retries.
            client.refreshPartitions();
        }

        @Override
        public void close() {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static Blocking wrap(StatefulConnection<String, String> c, RedisClusterAsyncCommands<String, String> a) {
        return new Blocking() {
            @Override
            public RedisClusterAsyncCommands<String, String> async() {
                return a;
            }

            @Override
            public boolean isOpen() {
                return c.isOpen();
            }

            @Override
            public void closeAsync() {
                if (c.isOpen()) {
                    c.closeAsync();
                }
            }
        };
    }
}
