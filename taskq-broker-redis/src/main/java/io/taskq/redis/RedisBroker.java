package io.taskq.redis;

import io.lettuce.core.resource.ClientResources;
import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.QueueStats;
import io.taskq.internal.LimitSpec;
import io.taskq.redis.internal.BrokerConfig;
import io.taskq.redis.internal.BrokerStartup;
import io.taskq.redis.internal.Claimer;
import io.taskq.redis.internal.Connections;
import io.taskq.redis.internal.Endpoint;
import io.taskq.redis.internal.Enqueuer;
import io.taskq.redis.internal.Finisher;
import io.taskq.redis.internal.Keys;
import io.taskq.redis.internal.NamedLeases;
import io.taskq.redis.internal.Partitions;
import io.taskq.redis.internal.QueueAdministration;
import io.taskq.redis.internal.QueueRegistry;
import io.taskq.redis.internal.RedisLimitStore;
import io.taskq.redis.internal.QueueScripts;
import io.taskq.redis.internal.RedisControlBus;
import io.taskq.redis.internal.RedisEventLog;
import io.taskq.redis.internal.RedisFailures;
import io.taskq.redis.internal.RedisWorkerRegistry;
import io.taskq.redis.internal.Results;
import io.taskq.redis.internal.Scripts;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.Delivery;
import io.taskq.spi.ControlBus;
import io.taskq.spi.EventLog;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Leases;
import io.taskq.spi.LimitStore;
import io.taskq.spi.Outcome;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.RenewResult;
import io.taskq.spi.ResultBackend;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis broker, result backend and lease store for taskq, on Lettuce. Requires Redis 6.2 or newer. Usually
 * obtained from a {@link RedisBackend}, which configures Redis once for the broker and the schedule store:
 *
 * <pre>{@code
 * try (RedisBackend redis = RedisBackend.builder().uri("redis://localhost:6379/0").keyPrefix("live").build();
 *      Taskq taskq = Taskq.builder().broker(redis.broker()).tasks(new EmailTasks()).build()) {
 *     taskq.startWorker();
 * }
 * }</pre>
 *
 * <p>Each queue's keys share the hash tag {@code {<prefix>:<queue>}}; every state change is one Lua script that
 * receives all its keys in KEYS (see docs/redis.md). Idle workers block on a marker ZSET instead of polling,
 * time in the scripts comes from the configured {@link Clock}, and final states are announced over pub/sub so
 * {@link #awaitFinal} does not poll either. The broker survives Redis restarts: Lettuce reconnects, scripts are
 * reloaded on NOSCRIPT, blocking waits are bounded and their connections replaced on trouble.
 *
 * <p>This class is a facade over its parts in {@code io.taskq.redis.internal}: the enqueuer, the claimer (marker
 * waits, claims sent ahead), the finisher, results, named leases and queue administration, which all send their
 * scripts through one typed mirror of the script library.
 *
 * <p>Thread-safe. Close it when done; built with {@link #builder()} it owns its Lettuce client resources, handed
 * out by a {@link RedisBackend} it uses the backend's.
 */
public final class RedisBroker implements Broker, QueueAdmin, ResultBackend, Leases, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final String prefix;
    private final Endpoint endpoint;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final Connections conns;
    private final String redisVersion;
    private final Keys keys;
    private final Scripts scripts = new Scripts();
    private final Partitions partitions;
    private final RedisLimitStore limits;
    private final Enqueuer enqueuer;
    private final Claimer claimer;
    private final Finisher finisher;
    private final Results results;
    private final NamedLeases leases;
    private final QueueAdministration admin;
    private final QueueScripts calls;
    private final RedisWorkerRegistry workers;
    /** Null with {@code eventStreamMaxLength(0)}. */
    private final RedisEventLog events;
    private final RedisControlBus control;
    private volatile boolean closed;

    /** Connects; shuts {@code resources} down if that fails and it owns them. */
    RedisBroker(BrokerConfig config, ClientResources resources, boolean ownsResources) {
        this.prefix = config.prefix();
        this.endpoint = config.endpoint();
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.keys = new Keys(prefix);
        this.partitions = new Partitions(config.partitions());
        BrokerStartup.Connected started;
        try {
            started = BrokerStartup.connect(config, resources, keys, scripts);
        } catch (RuntimeException e) {
            if (ownsResources) {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
            }
            throw e;
        }
        this.conns = started.conns();
        this.redisVersion = started.version();
        QueueRegistry registry = new QueueRegistry(conns, keys);
        this.limits = new RedisLimitStore(conns, keys, registry);
        registry.whenListed(limits::copyTo);
        this.calls = new QueueScripts(scripts, conns, keys, config);
        this.enqueuer = new Enqueuer(calls, conns, partitions, registry, config.maxMessageBytes());
        this.claimer = new Claimer(calls, conns, partitions, registry, config, this::checkOpen);
        this.finisher = new Finisher(calls, conns, partitions, registry, claimer, config.maxMessageBytes());
        this.results = new Results(conns, keys, partitions, config.clock(), prefix);
        this.leases = new NamedLeases(calls);
        this.admin = new QueueAdministration(calls, conns, partitions, registry);
        this.workers = new RedisWorkerRegistry(conns, keys, config.clock(), this::checkOpen);
        this.events = config.eventStreamMaxLength() > 0
                ? new RedisEventLog(conns, keys, config.eventStreamMaxLength()) : null;
        this.control = new RedisControlBus(conns, keys);
        log.info("Redis broker connected to {} (Redis {}), key prefix '{}'{}", endpoint.where(), redisVersion, prefix,
                partitions.configured().isEmpty() ? "" : ", partitions " + partitions.configured());
    }

    /** A builder for a broker on its own; {@link RedisBackend#builder()} also gives the schedule store. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's version, as reported at start-up. */
    public String redisVersion() {
        return redisVersion;
    }

    /** The key prefix (namespace). */
    public String keyPrefix() {
        return prefix;
    }

    /**
     * The Lettuce resources its connections run on (its own, or its backend's): their event bus tells connection
     * events, which {@code taskq-micrometer}'s {@code RedisConnectionMetrics} counts. Not to be shut down by the caller.
     */
    public ClientResources clientResources() {
        return resources;
    }

    /** How this broker reaches Redis, for {@link RedisScheduleStore.Builder#from(RedisBroker)}. */
    Endpoint endpoint() {
        return endpoint;
    }

    /** The key names (for this package's tests). */
    Keys keys() {
        return keys;
    }

    /** The script set (for this package's tests). */
    Scripts scripts() {
        return scripts;
    }

    /** The typed script calls (for this package's tests). */
    QueueScripts calls() {
        return calls;
    }

    /** The partitions (for this package's tests). */
    Partitions partitions() {
        return partitions;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
    }

    // ------------------------------------------------------------------------------------------ Broker

    @Override
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        checkOpen();
        return results.submitting(messages, () -> enqueuer.enqueue(messages));
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        return claimer.claim(request);
    }

    @Override
    public void markStarted(List<Delivery> deliveries, Instant at) {
        checkOpen();
        finisher.markStarted(deliveries, at);
    }

    @Override
    public boolean reportProgress(Delivery delivery, String progressJson, Instant at) {
        checkOpen();
        return finisher.reportProgress(delivery, progressJson);
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        checkOpen();
        return finisher.renew(deliveries, lease.toMillis());
    }

    /**
     * One script per queue (partition) touched: the start reports and outcomes of that queue, and the claim for
     * the freed slots is made in the first queue of the claim order within the same script, further queues in
     * their order only if it did not fill the slots.
     */
    @Override
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        checkOpen();
        return finisher.finishAndClaim(started, startedAt, outcomes, next);
    }

    @Override
    public void release(List<Delivery> deliveries) {
        checkOpen();
        finisher.release(deliveries);
    }

    @Override
    public RevokeResult revoke(String queue, String id, String reason) {
        checkOpen();
        return finisher.revoke(queue, id, reason);
    }

    /**
     * On a Redis Cluster a follow-up must hash to the finishing task's slot (its own queue, and for a partitioned
     * queue the same partition), since one script enqueues it with the finish; anywhere else any queue can.
     */
    /**
     * Chords run here: a member's join is a script in the chord callback's slot, sent before the member's finish
     * (docs/workflows.md), so members may be in any queue and, on a Cluster, any slot.
     */
    @Override
    public java.util.Optional<String> chordRefusal() {
        return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> limitsRefusal(String queue) {
        int n = partitions.of(queue);
        return n > 1 ? java.util.Optional.of(Enqueuer.limitsRefusal(queue, n)) : java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> followUpRefusal(String fromQueue, String fromId, String toQueue, String toId) {
        String from = keys.base(partitions.partitionOf(fromQueue, fromId));
        String to = keys.base(partitions.partitionOf(toQueue, toId));
        if (conns.group(from) == conns.group(to)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("on a Redis Cluster a follow-up must go to a queue in the finishing task's hash"
                + " slot (keys " + from + "), not " + to + ": put the steps and callbacks of a workflow in one queue"
                + " (see docs/workflows.md)");
    }

    @Override
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        checkOpen();
        return admin.locate(ids);
    }

    @Override
    public Map<String, TaskLocation> locate(String queue, Collection<String> ids) {
        checkOpen();
        return admin.locate(queue, ids);
    }

    @Override
    public Set<String> queues() {
        checkOpen();
        return admin.queues();
    }

    /**
     * The prefix's event stream ({@code {<prefix>}:events}, see docs/events.md); empty with
     * {@code eventStreamMaxLength(0)}.
     */
    @Override
    public Optional<EventLog> eventLog() {
        return Optional.ofNullable(events);
    }

    /**
     * Remote control on the prefix's control stream ({@code {<prefix>}:control}) with replies on a list per command
     * ({@code {<prefix>}:control:reply:<id>}); see docs/operations.md.
     */
    @Override
    public Optional<ControlBus> controlBus() {
        return Optional.of(control);
    }

    // ------------------------------------------------------------------------------------------ QueueAdmin

    /** This broker: it administers its own queues. */
    @Override
    public Optional<QueueAdmin> queueAdmin() {
        return Optional.of(this);
    }

    /** This broker: it keeps its tasks' records. */
    @Override
    public Optional<ResultBackend> resultBackend() {
        return Optional.of(this);
    }

    /** The holder's id from the queue's uniqueness hash (checked live by the enqueue that declined the message). */
    @Override
    public Optional<String> uniqueHolder(String queue, String key) {
        checkOpen();
        String v = conns.commands().hget(keys.uniques(queue),
                LimitSpec.encode(key));
        int bar = v == null ? -1 : v.lastIndexOf('|', v.lastIndexOf('|') - 1);
        return bar < 0 ? Optional.empty() : Optional.of(v.substring(0, bar));
    }

    /** The limits' run-time values, in the queues' limits hashes. */
    @Override
    public Optional<LimitStore> limitStore() {
        return Optional.of(limits);
    }

    /** This broker: it offers named leases. */
    @Override
    public Optional<Leases> leases() {
        return Optional.of(this);
    }

    /** One {@code inspect list} script per partition (pipelined), each reading a page by rank. */
    @Override
    public TaskPage tasks(String queue, TaskLocation.Place place, TaskPage.Order order, int limit, String cursor) {
        checkOpen();
        return admin.tasks(queue, place, order, limit, cursor);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        checkOpen();
        return admin.deadLetters(queue, limit);
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        checkOpen();
        return admin.deadLetter(queue, id);
    }

    @Override
    public boolean resubmitDeadLetter(String queue, String id, String newBody) {
        checkOpen();
        return admin.resubmitDeadLetter(queue, id, newBody);
    }

    @Override
    public long purgeDeadLetters(String queue) {
        checkOpen();
        return admin.purgeDeadLetters(queue);
    }

    @Override
    public boolean deleteDeadLetter(String queue, String id) {
        checkOpen();
        return admin.deleteDeadLetter(queue, id);
    }

    @Override
    public Optional<String> messageBody(String queue, String id) {
        checkOpen();
        return admin.messageBody(queue, id);
    }

    /** In steps of up to 1,000 tasks per script call; see QueueAdministration.purge. */
    @Override
    public long purge(String queue) {
        checkOpen();
        return admin.purge(queue);
    }

    /** One step of the {@code admin dead} script per partition, each reading a bounded part of the dead set. */
    @Override
    public DeadLetterPage findDeadLetters(String queue, DeadLetterFilter filter, int limit, String cursor) {
        checkOpen();
        return admin.findDeadLetters(queue, filter, limit, cursor);
    }

    @Override
    public long deleteDeadLetters(String queue, DeadLetterFilter filter, long limit) {
        checkOpen();
        return admin.deleteDeadLetters(queue, filter, limit);
    }

    @Override
    public QueueStats stats(String queue) {
        checkOpen();
        return admin.stats(queue);
    }

    /** The workers of this prefix, in {@code {<prefix>}:worker:<id>} keys indexed by {@code {<prefix>}:workers}. */
    @Override
    public Optional<WorkerRegistry> workerRegistry() {
        return Optional.of(workers);
    }

    // ------------------------------------------------------------------------------------------ ResultBackend

    @Override
    public Optional<TaskRecord> get(String queue, String id) {
        checkOpen();
        return results.get(queue, id);
    }

    @Override
    public CompletableFuture<TaskRecord> awaitFinal(String queue, String id) {
        checkOpen();
        return results.awaitFinal(queue, id);
    }

    // ------------------------------------------------------------------------------------------ Leases

    @Override
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        checkOpen();
        return leases.tryAcquire(name, owner, ttl);
    }

    @Override
    public void release(String name, String owner) {
        checkOpen();
        leases.release(name, owner);
    }

    @Override
    public Optional<String> holder(String name) {
        checkOpen();
        return leases.holder(name);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /** Timeouts, lost connections and the error replies of a Redis starting or failing over; see RedisFailures. */
    @Override
    public boolean isTransient(RuntimeException failure) {
        return !closed && RedisFailures.isTransient(failure);
    }

    /** Closes the connections, and the client resources if this broker owns them (not a backend's). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        results.close();
        claimer.close();
        if (events != null) {
            events.close();
        }
        control.close();
        conns.close();
        if (ownsResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        log.info("Redis broker (prefix '{}') closed", prefix);
    }

    /**
     * Builds a {@link RedisBroker} on its own client resources. Every option is also a {@link RedisBackend.Builder}
     * option, which is the way to configure Redis once for the broker and the schedule store.
     */
    public static final class Builder extends BrokerOptions<Builder> {
        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Connects, checks the server (Redis 6.2+ required; a warning unless maxmemory-policy is noeviction) and
         * loads the scripts.
         *
         * @throws IllegalStateException if the server is too old, or the ACL user may not use the key prefix's keys
         * @throws io.lettuce.core.RedisConnectionException if it cannot be reached within the start-up retry time, or
         *                                                  refuses the credentials
         */
        public RedisBroker build() {
            return new RedisBroker(config(), Endpoint.newResources(), true);
        }
    }
}
