package io.taskq.redis;

import io.lettuce.core.resource.ClientResources;
import io.taskq.redis.internal.BrokerConfig;
import io.taskq.redis.internal.Endpoint;
import io.taskq.redis.internal.Settings;
import io.taskq.spi.Leases;
import io.taskq.spi.ResultBackend;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis for taskq, configured once: where it is (one server, a Sentinel-managed master or a Cluster; TLS; the ACL
 * user from the URI), the key prefix, timeouts and the broker's settings, and the Lettuce {@link ClientResources}
 * (event loops, timers) everything here runs on. It hands out the {@link #broker() broker}, its
 * {@link #results() result backend} and {@link #leases() leases}, and the scheduler's
 * {@link #scheduleStore() schedule store}, all connecting alike under the same prefix:
 *
 * <pre>{@code
 * try (RedisBackend redis = RedisBackend.builder().uri("redis://localhost:6379/0").keyPrefix("live").build();
 *      Taskq taskq = Taskq.builder().broker(redis.broker()).tasks(new Reports()).build();
 *      Scheduler scheduler = Scheduler.builder().taskq(taskq).store(redis.scheduleStore())
 *              .leases(redis.leases()).build()) {
 *     taskq.startWorker();
 *     scheduler.start();
 * }
 * }</pre>
 *
 * <p>The broker connects when the backend is built (and {@link Builder#build()} fails if Redis cannot be reached
 * in the start-up retry time); the schedule store on its first use, so that an application without the scheduler
 * never opens its connections. {@code taskq-scheduler} need only be on the classpath for {@link #scheduleStore()}.
 *
 * <p>Thread-safe. {@link #close()} closes the broker and the schedule store, and the client resources unless they
 * were given to {@link Builder#clientResources}: shared resources stay the caller's to shut down.
 */
public final class RedisBackend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBackend.class);

    private final BrokerConfig config;
    private final int auditMaxCount;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final RedisBroker broker;
    /** The schedule store once made; typed loosely so that this class loads without taskq-scheduler. */
    private AutoCloseable scheduleStore;
    private boolean closed;

    private RedisBackend(Builder b) {
        this.config = b.config();
        this.auditMaxCount = b.auditMaxCount;
        this.ownsResources = b.resources == null;
        this.resources = ownsResources ? Endpoint.newResources() : b.resources;
        try {
            this.broker = new RedisBroker(config, resources, false);
        } catch (RuntimeException e) {
            shutDownOwnResources();
            throw e;
        }
    }

    /** A builder; set at least the URI or the cluster seeds. */
    public static Builder builder() {
        return new Builder();
    }

    /** The key prefix (namespace) of everything this backend hands out. */
    public String keyPrefix() {
        return config.prefix();
    }

    /**
     * The Lettuce resources everything here runs on (those given to {@link Builder#clientResources}, or the
     * backend's own): their event bus tells connection events, which {@code taskq-micrometer}'s
     * {@code RedisConnectionMetrics} counts. The backend's own are shut down by {@link #close()}, not by the caller.
     */
    public ClientResources clientResources() {
        return resources;
    }

    /** The broker (also the result backend, the leases and the queue administration); one per backend. */
    public RedisBroker broker() {
        return broker;
    }

    /** The result backend: task records and waits for final states. */
    public ResultBackend results() {
        return broker;
    }

    /** Named leases, as the scheduler's leader election uses them. */
    public Leases leases() {
        return broker;
    }

    /**
     * The schedule store, made on the first call (it opens its own command connection, and a pub/sub one once
     * subscribed) and the same one afterwards. Needs {@code taskq-scheduler} on the classpath.
     *
     * @throws IllegalStateException if the backend is closed
     */
    public synchronized RedisScheduleStore scheduleStore() {
        if (closed) {
            throw new IllegalStateException("Redis backend is closed");
        }
        if (scheduleStore == null) {
            scheduleStore = new RedisScheduleStore(config.endpoint().copy(), config.prefix(), auditMaxCount,
                    resources, false);
        }
        return (RedisScheduleStore) scheduleStore;
    }

    /** Closes the schedule store and the broker, then the client resources if this backend made them. */
    @Override
    public void close() {
        AutoCloseable store;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            store = scheduleStore;
        }
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                log.warn("closing the Redis schedule store failed", e);
            }
        }
        broker.close();
        shutDownOwnResources();
    }

    private void shutDownOwnResources() {
        if (ownsResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "RedisBackend[" + config.endpoint().where() + ", prefix '" + config.prefix() + "']";
    }

    /** Builds a {@link RedisBackend}: the connection, the broker's settings, and optionally shared resources. */
    public static final class Builder extends BrokerOptions<Builder> {
        private ClientResources resources;
        private int auditMaxCount = RedisScheduleStore.DEFAULT_AUDIT_MAX_COUNT;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Lettuce client resources to share (with other Redis clients of the application, say). The backend uses
         * them and never shuts them down; without them it makes its own (with a reconnect back-off of 20 ms
         * doubling to 1 s) and shuts them down on close.
         */
        public Builder clientResources(ClientResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * How many schedule audit records the {@link RedisBackend#scheduleStore() schedule store} keeps, newest first
         * (default {@value RedisScheduleStore#DEFAULT_AUDIT_MAX_COUNT}).
         */
        public Builder auditMaxCount(int n) {
            this.auditMaxCount = Settings.auditMaxCount(n);
            return this;
        }

        /**
         * Connects the broker, checks the server (Redis 6.2+ required; a warning unless maxmemory-policy is
         * noeviction) and loads the scripts.
         *
         * @throws IllegalStateException if the server is too old, or the ACL user may not use the key prefix's keys
         * @throws io.lettuce.core.RedisConnectionException if it cannot be reached within the start-up retry time, or
         *                                                  refuses the credentials
         */
        public RedisBackend build() {
            return new RedisBackend(this);
        }
    }
}
