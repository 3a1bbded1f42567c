package io.taskq.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
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
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
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

    /** The shared connection's asynchronous commands (for pipelining several calls). */
    public abstract RedisClusterAsyncCommands<String, String> async();

    /**
     * Commands on every master that serves slots (one server: its commands), for what has to be done on each node
     * rather than routed by key (loading the function library).
     */
    public abstract List<RedisClusterCommands<String, String>> masters();

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

    private final AtomicBoolean probing = new AtomicBoolean();
    /** Closes begun by {@link #closeAsync(StatefulConnection)} and not finished yet. */
    private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> watchdog;
    /** Set once {@link #close()} has begun. */
    protected volatile boolean closed;

    /**
     * Starts the silent-connection watchdog: once a second a PING on every connection the shared command
     * connection consists of (one server, or every master of a Cluster), behind whatever is in flight on it. A
     * connection that Lettuce still believes connected but that answers nothing within the command timeout (a NAT
     * or firewall that lost the flow, a peer gone without a reset: TCP would retry for ~15 min) gets the whole
     * shared connection replaced by a new one. A disconnected connection fails its PING at once and is left to
     * Lettuce's reconnect and, on a Cluster, to the topology refresh.
     */
    protected final void startWatchdog(ClientResources resources) {
        watchdog = resources.eventExecutorGroup().scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
    }

    private void probe() {
        if (closed || !probing.compareAndSet(false, true)) {
            return;
        }
        Object checked = current();
        List<CompletableFuture<String>> pings;
        try {
            pings = pings();
        } catch (RuntimeException e) {
            probing.set(false);
            return;
        }
        CompletableFuture.allOf(pings.toArray(new CompletableFuture<?>[0])).whenComplete((ok, e) -> {
            probing.set(false);
            boolean silent = pings.stream().anyMatch(Connections::timedOut);
            pings.stream().map(Connections::refusal).filter(r -> r != null).findFirst()
                    .ifPresent(r -> warnRefusedOnce(r, "connection"));
            if (silent && !closed && checked == current()) {
                replace(checked);
            }
        });
    }

    private static boolean timedOut(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        try {
            f.join();
            return false;
        } catch (CompletionException | CancellationException e) {
            return unwrap(e) instanceof RedisCommandTimeoutException;
        }
    }

    /** The server's error reply to a PING (e.g. NOPERM from an ACL without {@code +ping}), or null. */
    static String refusal(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            Throwable t = unwrap(e);
            return t instanceof RedisCommandExecutionException ? t.getMessage() : null;
        }
    }

    private static final AtomicBoolean REFUSAL_LOGGED = new AtomicBoolean();

    /** One WARN per JVM: the same ACL refuses every connection alike. */
    static void warnRefusedOnce(String reply, String what) {
        if (REFUSAL_LOGGED.compareAndSet(false, true)) {
            log.warn("Redis refused the watchdog's PING on a {} ({}): a silently dead connection will not be"
                    + " detected; grant +ping to the ACL user (see docs/deploy/redis-acl.conf)", what, reply);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** The shared connection now (compared by identity to skip a replacement that already happened). */
    abstract Object current();

    /** One PING per connection of the shared connection. */
    abstract List<CompletableFuture<String>> pings();

    /**
     * Replaces {@code silent} by a new connection, asynchronously: this runs on a Lettuce thread, which must not
     * block on a connect.
     */
    abstract void replace(Object silent);

    /**
     * Closes a connection this set handed out (blocking, pub/sub, a replaced shared one) without waiting. Every
     * connection must be closed through here: the client's shutdown closes each connection it still tracks, and
     * one whose close is still under way would be closed twice (Lettuce warns "Connection is already closed"), so
     * {@link #close()} first waits for these closes to finish.
     */
    public final void closeAsync(StatefulConnection<?, ?> c) {
        if (c instanceof RedisChannelHandler<?, ?> h && h.isClosed()) {
            return;
        }
        CompletableFuture<Void> f = c.closeAsync();
        closing.add(f);
        f.whenComplete((v, e) -> closing.remove(f));
    }

    /** Stops the watchdog and waits (bounded) for closes under way; subclasses then shut their client down. */
    protected final void stopWatchdog() {
        closed = true;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the shutdown closes whatever is left
        }
    }

    /**
     * Puts the connection being opened in place of {@code silent}, unless closed meanwhile or already replaced
     * (then the new one is closed instead).
     */
    final <C extends StatefulConnection<String, String>> void swap(AtomicReference<C> shared, Object silent,
                                                                   CompletionStage<C> connecting, String what) {
        connecting.whenComplete((fresh, e) -> {
            if (e != null) {
                log.warn("Redis {} answers nothing and a new connection failed, will retry: {}", what,
                        e.toString());
                return;
            }
            @SuppressWarnings("unchecked")
            C old = (C) silent;
            if (closed || !shared.compareAndSet(old, fresh)) {
                closeAsync(fresh);
                return;
            }
            log.warn("Redis {} answered nothing within the command timeout although connected (network drop"
                    + " without a reset?); replaced the connection with a new one", what);
            closeAsync(old);
        });
    }

    /** The first connection; the client is shut down if it cannot be had. */
    static <C> C connectOrShutdown(AbstractRedisClient client, Supplier<C> connect) {
        try {
            return connect.get();
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw e;
        }
    }

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
        private final AtomicReference<StatefulRedisConnection<String, String>> conn = new AtomicReference<>();

        Standalone(ClientResources resources, RedisURI uri, Settings s) {
            this.uri = uri;
            client = RedisClient.create(resources, uri);
            client.setOptions(common(ClientOptions.builder(), s).build());
            conn.set(connectOrShutdown(client, () -> client.connect(StringCodec.UTF8)));
            startWatchdog(resources);
        }

        @Override
        Object current() {
            return conn.get();
        }

        @Override
        List<CompletableFuture<String>> pings() {
            StatefulRedisConnection<String, String> c = conn.get();
            return c.isOpen() ? List.of(c.async().ping().toCompletableFuture()) : List.of();
        }

        @Override
        void replace(Object silent) {
            swap(conn, silent, client.connectAsync(StringCodec.UTF8, uri), "connection");
        }

        @Override
        public RedisClusterCommands<String, String> commands() {
            return conn.get().sync();
        }

        @Override
        public RedisClusterAsyncCommands<String, String> async() {
            return conn.get().async();
        }

        @Override
        public List<RedisClusterCommands<String, String>> masters() {
            return List.of(commands());
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
        public synchronized void readOnly() {
            try {
                StatefulRedisConnection<String, String> old = conn.getAndSet(client.connect(StringCodec.UTF8));
                log.warn("Redis refused a write (READONLY: the master was demoted); reconnected to the current"
                        + " master");
                closeAsync(old);
            } catch (RuntimeException e) {
                log.warn("reconnect after READONLY failed, will retry: {}", e.toString());
            }
        }

        @Override
        public void close() {
            stopWatchdog();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static final class Cluster extends Connections {
        private final RedisClusterClient client;
        private final AtomicReference<StatefulRedisClusterConnection<String, String>> conn = new AtomicReference<>();

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
            conn.set(connectOrShutdown(client, () -> client.connect(StringCodec.UTF8)));
            startWatchdog(resources);
        }

        @Override
        Object current() {
            return conn.get();
        }

        /**
         * A PING to every master that serves slots, each on the node connection that carries the commands for
         * those slots (the one Lettuce keys by host and port). A node whose connection cannot be had (down, being
         * failed over) is skipped: that is not silence, and the topology refresh deals with it.
         */
        @Override
        List<CompletableFuture<String>> pings() {
            StatefulRedisClusterConnection<String, String> c = conn.get();
            List<CompletableFuture<String>> pings = new ArrayList<>();
            for (RedisClusterNode n : servingMasters(c)) {
                pings.add(c.getConnectionAsync(n.getUri().getHost(), n.getUri().getPort())
                        .thenCompose(node -> node.isOpen() ? node.async().ping()
                                : CompletableFuture.completedFuture("down"))
                        .toCompletableFuture());
            }
            return pings;
        }

        @Override
        void replace(Object silent) {
            swap(conn, silent, client.connectAsync(StringCodec.UTF8), "Cluster node connection");
        }

        @Override
        public RedisClusterCommands<String, String> commands() {
            return conn.get().sync();
        }

        @Override
        public RedisClusterAsyncCommands<String, String> async() {
            return conn.get().async();
        }

        @Override
        public List<RedisClusterCommands<String, String>> masters() {
            StatefulRedisClusterConnection<String, String> c = conn.get();
            List<RedisClusterCommands<String, String>> out = new ArrayList<>();
            for (RedisClusterNode n : servingMasters(c)) {
                out.add(c.getConnection(n.getUri().getHost(), n.getUri().getPort()).sync());
            }
            return out;
        }

        /**
         * The masters that serve slots, as the connection's topology knows them. Their node connections are taken
         * by host and port, not node id: Lettuce keys its node connections either way, and commands routed by slot
         * use the host-and-port one.
         */
        private static List<RedisClusterNode> servingMasters(StatefulRedisClusterConnection<String, String> c) {
            List<RedisClusterNode> out = new ArrayList<>();
            for (RedisClusterNode n : c.getPartitions()) {
                if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()) {
                    out.add(n);
                }
            }
            return out;
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
            stopWatchdog();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    final Blocking wrap(StatefulConnection<String, String> c, RedisClusterAsyncCommands<String, String> a) {
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
                Connections.this.closeAsync(c);
            }
        };
    }
}
