package io.taskq.redis;

import io.taskq.redis.internal.BrokerConfig;
import io.taskq.redis.internal.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The broker's settings on top of the connection ones, shared by {@link RedisBackend.Builder} and
 * {@link RedisBroker.Builder}.
 *
 * @param <B> the builder
 */
abstract class BrokerOptions<B extends BrokerOptions<B>> extends ConnectionOptions<B> {
    private Clock clock = Clock.systemUTC();
    private Duration resultTtl = Duration.ofHours(24);
    private int maxRedeliveries = 5;
    private int deadLetterMaxCount = 10_000;
    private Duration deadLetterMaxAge = Duration.ofDays(30);
    private Duration revokeMarkerTtl = Duration.ofHours(24);
    private int maxMessageBytes = BrokerConfig.DEFAULT_MAX_MESSAGE_BYTES;
    private boolean functions = true;
    private int eventStreamMaxLength = BrokerConfig.DEFAULT_EVENT_STREAM_MAX_LENGTH;
    private final Map<String, Integer> partitions = new LinkedHashMap<>();

    BrokerOptions() {
    }

    /**
     * Spreads a queue over {@code n} partitions, each its own Cluster slot ({@code {prefix:queue#0}} ..
     * {@code {prefix:queue#n-1}}), so one hot queue can use several shards. Producers put a task in partition
     * {@code floorMod(id.hashCode(), n)}; consumers claim round-robin over the partitions; priorities and FIFO
     * hold within a partition. Every broker of the prefix (producers and workers) must use the same n, and n
     * must not change while the queue holds tasks.
     */
    public B partitions(String queue, int n) {
        Objects.requireNonNull(queue, "queue");
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("partitions must be 1..1024");
        }
        if (n == 1) {
            partitions.remove(queue);
        } else {
            partitions.put(queue, n);
        }
        return self();
    }

    /** The clock for every time the scripts see (ETAs, leases, retention); tests pass a controllable one. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** How long task records are kept after their last change (default 24 h). */
    public B resultTtl(Duration ttl) {
        this.resultTtl = Settings.positive(ttl, "resultTtl");
        return self();
    }

    /**
     * How many leases a task may lose after it started before it is dead-lettered (default 5); leases lost before
     * it started (held by a worker that died of another task) are bounded by {@code max(10, 3 × n)}.
     */
    public B maxRedeliveries(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxRedeliveries must be >= 0");
        }
        this.maxRedeliveries = n;
        return self();
    }

    /** Most dead letters kept per queue (default 10,000); the oldest go first. */
    public B deadLetterMaxCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("deadLetterMaxCount must be positive");
        }
        this.deadLetterMaxCount = n;
        return self();
    }

    /** How long dead letters are kept (default 30 days). */
    public B deadLetterMaxAge(Duration age) {
        this.deadLetterMaxAge = Settings.positive(age, "deadLetterMaxAge");
        return self();
    }

    /**
     * How long a revoke of an id its queue does not know is remembered, so that a task submitted with that id
     * within this time is revoked on arrival (default 24 h). Expired markers are ignored and deleted, up to 100
     * per revoke call.
     */
    public B revokeMarkerTtl(Duration ttl) {
        this.revokeMarkerTtl = Settings.positive(ttl, "revokeMarkerTtl");
        return self();
    }

    /**
     * The longest stored message, in bytes (default 1 MiB + 64 KiB: {@code Taskq.Builder.maxMessageBytes}'s
     * default plus room for the task name): what the queue holds per task, the task name and the body with an
     * 18-byte frame. Enqueue refuses a longer message (this client with an {@link IllegalArgumentException}
     * before sending, the scripts for any client), and a claim dead-letters one written into Redis by other
     * means, keeping only its beginning, instead of handing it out. Give every broker of a prefix the same
     * limit, at least the producers' {@code maxMessageBytes} plus the longest task name and 18.
     */
    public B maxMessageBytes(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
        }
        this.maxMessageBytes = bytes;
        return self();
    }

    /**
     * Whether the queue scripts run as a Redis Functions library on Redis 7 and later (default true): loaded once
     * per server, where an EVAL script repeats its shared definitions on every call. Where the server or the
     * ACL refuses functions the broker uses EVALSHA anyway; false uses it always (a managed Redis that forbids
     * {@code FUNCTION}, say).
     */
    public B functions(boolean use) {
        this.functions = use;
        return self();
    }

    /**
     * About how many events the prefix's event stream ({@code Taskq.events()}, key {@code {<prefix>}:events}) keeps
     * (default 10,000); the oldest go first. The stream is trimmed approximately (XADD with {@code MAXLEN ~}), so
     * it may hold somewhat more, never far fewer. 0 keeps no stream: the broker offers no event log, and taskq
     * publishes no events.
     */
    public B eventStreamMaxLength(int events) {
        if (events < 0) {
            throw new IllegalArgumentException("eventStreamMaxLength must be >= 0");
        }
        this.eventStreamMaxLength = events;
        return self();
    }

    /** The settings as the broker takes them (a snapshot: later changes to this builder do not reach it). */
    BrokerConfig config() {
        checkSet("");
        return new BrokerConfig(keyPrefix, clock, resultTtl, maxRedeliveries, deadLetterMaxCount, deadLetterMaxAge,
                revokeMarkerTtl, maxMessageBytes, functions, endpoint, partitions, eventStreamMaxLength);
    }
}
