package io.taskq.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.resource.ClientResources;
import io.taskq.internal.Json;
import io.taskq.redis.internal.Connections;
import io.taskq.redis.internal.Endpoint;
import io.taskq.redis.internal.Startup;
import io.taskq.redis.internal.WatchedSubscription;
import io.taskq.redis.internal.ScriptLoader;
import io.taskq.redis.internal.Settings;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's {@link ScheduleStore} on Redis: durable periodic-task entries and their audit trail, shared by
 * every scheduler instance of an application, on Lettuce. One server, a Sentinel-managed master
 * ({@code redis-sentinel://} URI), or a Redis Cluster ({@link Builder#cluster}), with TLS; or simply wherever the
 * application's broker goes: from the {@link RedisBackend} that gives the broker (same topology, TLS, timeouts, key
 * prefix and client resources), or {@link Builder#from(RedisBroker)}:
 *
 * <pre>{@code
 * try (RedisBackend redis = RedisBackend.builder().cluster(seeds).keyPrefix("live").build();
 *      Taskq taskq = Taskq.builder().broker(redis.broker()).tasks(new Reports()).build();
 *      Scheduler scheduler = Scheduler.builder().taskq(taskq).store(redis.scheduleStore())
 *              .leases(redis.leases()).build()) {
 *     scheduler.start();
 * }
 * }</pre>
 *
 * <p>Key layout, all under the hash tag {@code {<prefix>}} (one Redis Cluster slot, so each script may touch
 * them all; every key is passed in KEYS):
 * <ul>
 *   <li>{@code {<prefix>}:sched:entries}: HASH entry name → entry JSON (verbatim)</li>
 *   <li>{@code {<prefix>}:sched:versions}: HASH entry name → version</li>
 *   <li>{@code {<prefix>}:sched:seq}: the version sequence; only ever incremented, so versions are never reused</li>
 *   <li>{@code {<prefix>}:sched:changes}: the change counter</li>
 *   <li>{@code {<prefix>}:sched:audit}: LIST of audit records (JSON), newest first, capped by LTRIM</li>
 *   <li>channel {@code {<prefix>}:sched:changed}: each change publishes the new change count</li>
 * </ul>
 * The tag is the bare prefix rather than {@code {<prefix>:sched}} because the broker tags each queue's keys
 * {@code {<prefix>:<queue>}}: a queue named {@code sched} would otherwise share keys (its {@code :seq}) with the
 * store. The broker only keeps leases under {@code {<prefix>}:lease:}, so the two never meet.
 *
 * <p>A write (compare-and-set on the version, plus audit append, change-counter bump and PUBLISH when audited) and
 * a delete are each one Lua script, loaded once and run by EVALSHA (reloaded on NOSCRIPT). Reads of entries use a
 * script too, so that an entry and its version are read together.
 *
 * <p>Notifications: a change made through this object calls its listeners at once; changes from other processes
 * arrive over a pub/sub connection (opened by the first {@link #subscribe}) that Lettuce reconnects and
 * re-subscribes by itself. Messages published while it was disconnected are lost, so the listeners are called
 * after every re-subscription too; and a subscriber should still compare {@link #changeCount()} now and then, as
 * the scheduler does, since pub/sub guarantees nothing. Listeners run on one notification thread, merged when
 * changes come in bursts. On a Cluster every key lives in the slot of {@code {<prefix>}}, so each script runs on
 * one node; the change message is a classic PUBLISH, which the Cluster forwards to every node, so the one
 * subscription (on whichever node Lettuce picked) hears it. A subscription whose connection stays down for 3 s
 * (its node died for good) is replaced, and the listeners are called.
 *
 * <p>Thread-safe. Close it when done (a backend's store is closed with the backend); built with {@link #builder()}
 * it owns its Lettuce client resources.
 */
public final class RedisScheduleStore implements ScheduleStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisScheduleStore.class);

    /** Default number of audit records kept. */
    public static final int DEFAULT_AUDIT_MAX_COUNT = 10_000;

    private final String prefix;
    private final String[] keys;
    private final String[] readKeys;
    private final String channel;
    private final String auditCap;
    private final String where;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final Connections conns;
    private final ScriptLoader.Script write = ScriptLoader.script("sched-write");
    private final ScriptLoader.Script delete = ScriptLoader.script("sched-delete");
    private final ScriptLoader.Script read = ScriptLoader.script("sched-read");
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean deliveryPending = new AtomicBoolean();
    private final ScheduledExecutorService notifier;
    private final WatchedSubscription changes;
    private boolean watchdog;
    private volatile boolean closed;

    /**
     * Connects on {@code resources}; shuts them down if that fails and it owns them.
     *
     * @param endpoint a copy the store may keep
     */
    RedisScheduleStore(Endpoint endpoint, String prefix, int auditMaxCount, ClientResources resources,
                       boolean ownsResources) {
        this.prefix = prefix;
        String base = "{" + prefix + "}:sched:";
        this.keys = new String[] {base + "entries", base + "versions", base + "seq", base + "changes", base + "audit"};
        this.readKeys = new String[] {keys[0], keys[1]};
        this.channel = base + "changed";
        this.auditCap = Integer.toString(auditMaxCount);
        // The same connection set-up as the broker: auto-reconnect with a 20 ms..1 s back-off, commands rejected
        // while disconnected (the scheduler retries its iteration, nothing waits blindly), command timeouts.
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.where = endpoint.where();
        try {
            this.conns = Startup.connect(endpoint, "Redis schedule store", () -> {
                Connections c = endpoint.connect(resources);
                try {
                    write.load(c.commands());
                    delete.load(c.commands());
                    read.load(c.commands());
                    return c;
                } catch (RuntimeException e) {
                    c.close();
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            if (ownsResources) {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
            }
            throw e;
        }
        this.notifier = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "taskq-schedule-store-" + prefix);
            t.setDaemon(true);
            return t;
        });
        // A message's payload (the new change count) is informative only: listeners re-read the store.
        this.changes = new WatchedSubscription(conns, channel, message -> notifyListeners(),
                this::notifyListeners, "schedule store '" + prefix + "' change notifications");
        log.info("Redis schedule store connected to {}, key prefix '{}'", where, prefix);
    }

    /** A builder; set at least the URI, the cluster seeds, or {@link Builder#from(RedisBroker) the broker}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The key prefix (namespace). */
    public String keyPrefix() {
        return prefix;
    }

    /** The store's keys: entries, versions, seq, changes, audit; the layout test in this package checks them. */
    List<String> keyNames() {
        return List.of(keys);
    }

    /** The pub/sub channel on which changes are announced (for this package's tests). */
    String channel() {
        return channel;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("schedule store is closed");
        }
    }

    // ------------------------------------------------------------------------------------------ reads

    @Override
    public List<ScheduleRecord> entries() {
        checkOpen();
        List<Object> r = read.run(conns, ScriptOutputType.MULTI, readKeys, "all");
        return records(r);
    }

    @Override
    public Optional<ScheduleRecord> entry(String name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        List<Object> r = read.run(conns, ScriptOutputType.MULTI, readKeys, "one", name);
        List<ScheduleRecord> out = records(r);
        return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
    }

    private List<ScheduleRecord> records(List<Object> flat) {
        List<ScheduleRecord> out = new ArrayList<>(flat.size() / 3);
        for (int i = 0; i + 2 < flat.size(); i += 3) {
            String name = (String) flat.get(i);
            long version;
            try {
                version = Long.parseLong((String) flat.get(i + 2));
            } catch (NumberFormatException e) {
                log.warn("schedule entry '{}' has an unreadable version and is ignored", name);
                continue;
            }
            if (version <= 0) {
                log.warn("schedule entry '{}' has version {} and is ignored", name, version);
                continue;
            }
            out.add(new ScheduleRecord(name, (String) flat.get(i + 1), version));
        }
        return out;
    }

    @Override
    public List<ScheduleAuditRecord> audit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        checkOpen();
        if (limit == 0) {
            return List.of();
        }
        List<String> raw = conns.commands().lrange(keys[4], 0, limit - 1L);
        List<ScheduleAuditRecord> out = new ArrayList<>(raw.size());
        for (String json : raw) {
            try {
                out.add(decodeAudit(json));
            } catch (JsonProcessingException | RuntimeException e) {
                log.warn("unreadable schedule audit record skipped: {}", e.toString());
            }
        }
        return out;
    }

    @Override
    public long changeCount() {
        checkOpen();
        String v = conns.commands().get(keys[3]);
        return v == null ? 0L : Long.parseLong(v);
    }

    // ------------------------------------------------------------------------------------------ writes

    @Override
    public OptionalLong write(String name, String json, long expectedVersion, ScheduleAuditRecord audit) {
        checkName(name);
        Objects.requireNonNull(json, "json");
        checkOpen();
        List<Object> r = write.run(conns, ScriptOutputType.MULTI, keys, name, json, Long.toString(expectedVersion),
                audit == null ? "" : encodeAudit(audit), auditCap, channel);
        long version = (Long) r.get(0);
        if (version == 0L) {
            return OptionalLong.empty();
        }
        if (audit != null) {
            notifyListeners();
        }
        return OptionalLong.of(version);
    }

    @Override
    public boolean delete(String name, long expectedVersion, ScheduleAuditRecord audit) {
        checkName(name);
        checkOpen();
        Long changes = delete.run(conns, ScriptOutputType.INTEGER, keys, name, Long.toString(expectedVersion),
                audit == null ? "" : encodeAudit(audit), auditCap, channel);
        if (changes == 0L) {
            return false;
        }
        notifyListeners();
        return true;
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("entry name must not be blank");
        }
    }

    static String encodeAudit(ScheduleAuditRecord a) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("at", a.at().toString());
        n.put("entry", a.entry());
        n.put("action", a.action());
        n.put("actor", a.actor());
        n.put("before", a.before());
        n.put("after", a.after());
        n.put("detail", a.detail());
        try {
            return Json.mapper().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode audit record", e);
        }
    }

    static ScheduleAuditRecord decodeAudit(String json) throws JsonProcessingException {
        JsonNode n = Json.mapper().readTree(json);
        return new ScheduleAuditRecord(Instant.parse(n.get("at").asText()), n.get("entry").asText(),
                n.get("action").asText(), n.get("actor").asText(), text(n, "before"), text(n, "after"),
                text(n, "detail"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    // ------------------------------------------------------------------------------------------ notifications

    @Override
    public Subscription subscribe(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        ensureSubscribed();
        AtomicBoolean active = new AtomicBoolean(true);
        // A wrapper per subscription: subscribing one Runnable twice needs two closes, and a closed subscription
        // is not called even by a delivery already under way.
        Runnable registered = () -> {
            if (active.get()) {
                listener.run();
            }
        };
        listeners.add(registered);
        return () -> {
            active.set(false);
            listeners.remove(registered);
        };
    }

    private synchronized void ensureSubscribed() {
        checkOpen();
        changes.open();
        if (!watchdog) {
            watchdog = true;
            notifier.scheduleWithFixedDelay(changes::check, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Calls the listeners on the notification thread; requests that arrive meanwhile are merged into one round. */
    private void notifyListeners() {
        if (closed || listeners.isEmpty()) {
            return;
        }
        if (deliveryPending.compareAndSet(false, true)) {
            try {
                notifier.execute(this::deliver);
            } catch (RejectedExecutionException e) {
                deliveryPending.set(false);
            }
        }
    }

    private void deliver() {
        // Cleared before the calls: a change made while they run schedules another round.
        deliveryPending.set(false);
        for (Runnable l : listeners) {
            if (closed) {
                return;
            }
            try {
                l.run();
            } catch (RuntimeException e) {
                // One broken listener must not keep the change from the others.
                log.warn("schedule change listener failed", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        changes.close();
        listeners.clear();
        notifier.shutdownNow();
        // The client's shutdown closes every connection, the pub/sub one included.
        conns.close();
        if (ownsResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        log.info("Redis schedule store (prefix '{}') closed", prefix);
    }

    @Override
    public String toString() {
        return "RedisScheduleStore[" + where + ", prefix '" + prefix + "']";
    }

    /**
     * Builds a {@link RedisScheduleStore} on its own client resources. A {@link RedisBackend} gives one configured
     * like its broker, on the backend's resources: the way to configure Redis once.
     */
    public static final class Builder extends ConnectionOptions<Builder> {
        private int auditMaxCount = DEFAULT_AUDIT_MAX_COUNT;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Connects the way {@code broker} does (one server, Sentinel or Cluster; TLS options; command, connect and
         * topology-refresh settings) and under its key prefix: {@code RedisScheduleStore.builder().from(broker)
         * .build()}. The store still opens its own connections (one command connection and, once subscribed, one
         * pub/sub connection) and is closed on its own. Later calls on this builder override what was copied.
         */
        public Builder from(RedisBroker broker) {
            Objects.requireNonNull(broker, "broker");
            endpoint.copyFrom(broker.endpoint());
            this.keyPrefix = broker.keyPrefix();
            return this;
        }

        /**
         * How many audit records are kept, newest first (default {@value #DEFAULT_AUDIT_MAX_COUNT}); older ones are
         * trimmed in the same script that appends. The SPI promises at least 1,000 to callers.
         */
        public Builder auditMaxCount(int n) {
            this.auditMaxCount = Settings.auditMaxCount(n);
            return this;
        }

        /**
         * Connects and loads the scripts.
         *
         * @throws io.lettuce.core.RedisException if the server cannot be reached
         */
        public RedisScheduleStore build() {
            checkSet(", or from(broker)");
            return new RedisScheduleStore(endpoint.copy(), keyPrefix, auditMaxCount, Endpoint.newResources(), true);
        }
    }
}
