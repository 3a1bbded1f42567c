package io.taskq.redis;

import io.taskq.redis.internal.Settings;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.resource.ClientResources;
import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import io.taskq.internal.JsonText;
import io.taskq.redis.internal.ClaimFence;
import io.taskq.redis.internal.Coalescer;
import io.taskq.redis.internal.DeadLetterEntries;
import io.taskq.redis.internal.JobFrame;
import io.taskq.redis.internal.Connections;
import io.taskq.redis.internal.Endpoint;
import io.taskq.redis.internal.FinalWaiters;
import io.taskq.redis.internal.FollowUps;
import io.taskq.redis.internal.Keys;
import io.taskq.redis.internal.MarkerWait;
import io.taskq.redis.internal.QueueRegistry;
import io.taskq.redis.internal.RedisFailures;
import io.taskq.redis.internal.ServerCheck;
import io.taskq.redis.internal.Startup;
import io.taskq.redis.internal.Scripts;
import io.taskq.redis.internal.Scripts.Name;
import io.taskq.redis.internal.TaskListing;
import io.taskq.redis.internal.TaskLocator;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Leases;
import io.taskq.spi.Outcome;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.RenewResult;
import io.taskq.spi.ResultBackend;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis broker, result backend and lease store for taskq, on Lettuce. Requires Redis 6.2 or newer.
 *
 * <pre>{@code
 * try (RedisBroker redis = RedisBroker.builder().uri("redis://localhost:6379/0").keyPrefix("live").build();
 *      Taskq taskq = Taskq.builder().broker(redis).tasks(new EmailTasks()).build()) {
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
 * <p>Thread-safe. Close it when done; it owns its Lettuce client.
 */
public final class RedisBroker implements Broker, QueueAdmin, ResultBackend, Leases, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final double BAND = 562949953421312d;
    /** The default of {@link Builder#maxMessageBytes}. */
    private static final int DEFAULT_MAX_MESSAGE_BYTES = (1 << 20) + (64 << 10);
    /** With a non-system clock, idle waits are sliced so that a test moving the clock is noticed soon. */
    private static final long TEST_CLOCK_SLICE_MS = 50;

    private final Clock clock;
    private final boolean systemClock;
    private final String prefix;
    private final Keys keys;
    private final Duration resultTtl;
    private final int maxRedeliveries;
    private final int deadLetterMaxCount;
    private final Duration deadLetterMaxAge;
    private final Duration revokeMarkerTtl;
    private final int maxMessageBytes;
    private final ClientResources resources;
    private final Connections conns;
    private final Map<String, Integer> partitions;
    private final QueueRegistry registry;
    private final TaskLocator locator;
    private final TaskListing listing;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final Scripts scripts = new Scripts();
    private final MarkerWait markerWait;
    private final FinalWaiters finalWaiters;
    private final ScheduledExecutorService background;
    private final Coalescer<Started, Boolean> starts;
    private final String redisVersion;
    private final Endpoint endpoint;
    private final long commandTimeoutMs;
    /** The fences claims carry (see ClaimFence). */
    private final ClaimFence claimFence;
    /** Whether claims may be sent ahead behind marker waits; turned off for good if the server refuses them. */
    private volatile boolean claimAhead = true;
    private volatile boolean closed;

    private record Started(Delivery delivery, Instant at) {
    }

    private RedisBroker(Builder b) {
        this.clock = b.clock;
        this.systemClock = b.clock.getClass().getName().equals("java.time.Clock$SystemClock");
        this.prefix = b.keyPrefix;
        this.keys = new Keys(prefix);
        this.resultTtl = b.resultTtl;
        this.maxRedeliveries = b.maxRedeliveries;
        this.deadLetterMaxCount = b.deadLetterMaxCount;
        this.deadLetterMaxAge = b.deadLetterMaxAge;
        this.revokeMarkerTtl = b.revokeMarkerTtl;
        this.maxMessageBytes = b.maxMessageBytes;
        this.partitions = Map.copyOf(b.partitions);
        this.endpoint = b.endpoint.copy();
        this.commandTimeoutMs = endpoint.commandTimeout().toMillis();
        this.claimFence = new ClaimFence(systemClock, commandTimeoutMs);
        this.resources = Endpoint.newResources();
        String where = endpoint.where();
        Connected started;
        try {
            started = Startup.connect(endpoint, "Redis broker", () -> start(b.functions));
        } catch (RuntimeException e) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
        this.conns = started.conns;
        this.redisVersion = started.version;
        this.registry = new QueueRegistry(conns, keys);
        java.util.function.Function<String, List<String>> commonNow = q -> {
            Instant now = clock.instant();
            return common(q, now.toEpochMilli(), now);
        };
        this.locator = new TaskLocator(conns, scripts, keys, commonNow);
        this.listing = new TaskListing(conns, scripts, keys, commonNow);
        this.markerWait = new MarkerWait(conns);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "taskq-redis-" + prefix);
            t.setDaemon(true);
            return t;
        });
        this.finalWaiters = new FinalWaiters(conns, keys.finalChannel(), this::read, background);
        background.scheduleWithFixedDelay(finalWaiters::check, 1, 1, TimeUnit.SECONDS);
        this.starts = new Coalescer<>(this::startedBatch, 512);
        log.info("Redis broker connected to {} (Redis {}), key prefix '{}'{}", where, redisVersion, prefix,
                partitions.isEmpty() ? "" : ", partitions " + partitions);
    }

    private record Connected(Connections conns, String version) {
    }

    /** One start-up attempt: connects, checks the server, loads the scripts; closes what it opened if it fails. */
    private Connected start(boolean functions) {
        Connections c = endpoint.connect(resources);
        try {
            String version = ServerCheck.check(c, endpoint, keys, prefix);
            scripts.loadAll(c.commands());
            scripts.loadFunctions(c, functions && majorVersion(version) >= 7);
            return new Connected(c, version);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A builder; set at least the URI. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the queue scripts run as functions (FCALL) rather than with EVALSHA; see {@link Builder#functions}. */
    public boolean usesFunctions() {
        return scripts.functions();
    }

    private static int majorVersion(String version) {
        try {
            return Integer.parseInt(version.substring(0, version.indexOf('.')));
        } catch (RuntimeException e) {
            return 0; // unknown (INFO refused): EVALSHA
        }
    }

    /** The server's version, as reported at start-up. */
    public String redisVersion() {
        return redisVersion;
    }

    /** The key prefix (namespace). */
    public String keyPrefix() {
        return prefix;
    }

    /** How this broker reaches Redis, for {@link RedisScheduleStore.Builder#from(RedisBroker)}. */
    Endpoint endpoint() {
        return endpoint;
    }

    /** The hash-tagged base of a queue's keys, e.g. {@code {live:default}} (for tools and tests). */
    public String queueKeyBase(String queue) {
        return keys.base(queue);
    }

    static String masked(RedisURI uri) {
        return Endpoint.masked(uri);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
    }

    // ------------------------------------------------------------------------------------------ script plumbing

    private List<String> common(String queue, long nowMs, Instant now) {
        List<String> a = new ArrayList<>(16);
        a.add(Long.toString(nowMs));
        a.add(now.toString());
        a.add(queue);
        a.add(Long.toString(resultTtl.toMillis()));
        a.add(Integer.toString(maxRedeliveries));
        a.add(Integer.toString(deadLetterMaxCount));
        a.add(Long.toString(deadLetterMaxAge.toMillis()));
        a.add(keys.finalChannel());
        a.add(Integer.toString(maxMessageBytes));
        return a;
    }

    /** Runs a queue script on the keys of {@code physical} (a queue or one of its partitions). */
    private <T> T run(Name script, ScriptOutputType type, String physical, List<String> args) {
        return scripts.run(conns, script, type, keys.queue(physical), args.toArray(new String[0]));
    }

    /** Runs a queue script with the common arguments of {@code queue} on the keys of {@code physical}. */
    private <T> T runOn(Name script, ScriptOutputType type, String queue, String physical, String... extra) {
        Instant now = clock.instant();
        List<String> args = common(queue, now.toEpochMilli(), now);
        args.addAll(List.of(extra));
        return run(script, type, physical, args);
    }

    // ------------------------------------------------------------------------------------------ partitions

    /** How many partitions (slots) a queue is spread over; 1 unless configured. */
    public int partitionsOf(String queue) {
        return partitions.getOrDefault(queue, 1);
    }

    /**
     * Where a task lives: the queue itself, or for a partitioned queue {@code queue#k} with k derived from the id
     * ({@code floorMod(id.hashCode(), partitions)}), so any client finds the task from its queue and id alone.
     */
    public String partitionOf(String queue, String id) {
        return Keys.partition(queue, id, partitionsOf(queue));
    }

    private List<String> allPartitions(String queue) {
        int n = partitionsOf(queue);
        if (n == 1) {
            return List.of(queue);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(queue + "#" + i);
        }
        return out;
    }

    /** A key for grouping work by the partition it goes to. */
    private record Where(String queue, String physical) {
    }

    private Where where(String queue, String id) {
        return new Where(queue, partitionOf(queue, id));
    }

    private static <V> Map<Where, List<V>> byQueue(List<V> items, java.util.function.Function<V, Where> queue) {
        Map<Where, List<V>> m = new LinkedHashMap<>();
        for (V v : items) {
            m.computeIfAbsent(queue.apply(v), q -> new ArrayList<>()).add(v);
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------ Broker

    @Override
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        checkOpen();
        if (messages.size() != 1) {
            return enqueueAll(messages);
        }
        // A single submit is often awaited next (submit, then get): announced so that the wait can skip its read.
        TaskMessage m = messages.get(0);
        finalWaiters.submitting(m.queue(), m.id());
        List<Boolean> r;
        try {
            r = enqueueAll(messages);
        } catch (RuntimeException e) {
            finalWaiters.notSubmitted(m.queue(), m.id());
            throw e;
        }
        if (!r.get(0)) {
            finalWaiters.notSubmitted(m.queue(), m.id());
        }
        return r;
    }

    private List<Boolean> enqueueAll(List<TaskMessage> messages) {
        for (TaskMessage m : messages) {
            JobFrame.checkSize(m, maxMessageBytes); // all of the batch or none of it
        }
        for (TaskMessage m : messages) {
            registry.register(m.queue(), partitionsOf(m.queue())); // listed before its first task: found by id
        }
        Boolean[] out = new Boolean[messages.size()];
        Map<Where, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            TaskMessage m = messages.get(i);
            groups.computeIfAbsent(where(m.queue(), m.id()), q -> new ArrayList<>()).add(i);
        }
        Map<Where, Long> firstSeq = reserveSequence(groups);
        List<EnqueueSlice> slices = new ArrayList<>();
        for (Map.Entry<Where, List<Integer>> g : groups.entrySet()) {
            List<Integer> idx = g.getValue();
            long first = firstSeq.getOrDefault(g.getKey(), 0L);
            for (int from = 0; from < idx.size(); from += ENQUEUE_SLICE) {
                slices.add(new EnqueueSlice(g.getKey(), idx.subList(from, Math.min(idx.size(), from + ENQUEUE_SLICE)),
                        first == 0 ? 0 : first + from));
            }
        }
        if (slices.size() == 1) {
            EnqueueSlice sl = slices.get(0);
            sl.read(scripts.run(conns, Name.ENQUEUE, ENQUEUE_REPLY, keys.queue(sl.where.physical()),
                    enqueueArgs(sl, messages)), out);
            return List.of(out);
        }
        // Pipelined: every slice is sent as soon as its arguments are built, so that encoding and sending the
        // next slice overlap Redis running the previous one. Redis runs them in the order sent (one connection;
        // on a Cluster one connection per node), so the order of the batch is kept.
        for (EnqueueSlice sl : slices) {
            sl.args = enqueueArgs(sl, messages);
            sl.reply = scripts.send(conns, Name.ENQUEUE, ENQUEUE_REPLY.get(), keys.queue(sl.where.physical()),
                    sl.args);
        }
        RuntimeException failure = null;
        boolean later = false;
        for (int i = slices.size() - 1; i >= 0; i--) {
            EnqueueSlice sl = slices.get(i);
            try {
                if (sl.reply != null) {
                    sl.read(await(sl.reply), out);
                    later = true;
                }
            } catch (RuntimeException e) {
                if (!Scripts.refusedBeforeRunning(e)) {
                    failure = failure == null ? e : failure;
                } else {
                    sl.reply = null;
                    if (later && sl.firstSeq == 0) {
                        // Only if the script cache was emptied and refilled by another client between two slices;
                        // reserved sequence numbers keep the order whatever order the slices run in.
                        log.warn("enqueue: a slice was refused ({}) after a later one ran; the batch's order across"
                                + " slices may differ from the submit order", e.getMessage());
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        // Refused (NOSCRIPT, READONLY: nothing ran): sent again in order, one at a time.
        for (EnqueueSlice sl : slices) {
            if (sl.reply == null) {
                sl.read(scripts.run(conns, Name.ENQUEUE, ENQUEUE_REPLY, keys.queue(sl.where.physical()), sl.args),
                        out);
            }
        }
        return List.of(out);
    }

    /** Most messages per enqueue script call: Redis is never held long, and slices pipeline. */
    private static final int ENQUEUE_SLICE = 250;

    /** Groups at least this large get their sequence numbers reserved (one round trip more, for less Redis work). */
    private static final int RESERVE_MIN = 32;
    private static final long BAND_L = 1L << 49;

    /**
     * Reserves the sequence numbers of every group of at least {@link #RESERVE_MIN} messages with one {@code INCRBY
     * seq} each (pipelined), so that its script calls get each message's score and job field ready-made instead of
     * building the ~450-byte field in Lua (Redis hashes every new Lua string byte by byte: ≈ a fifth of the script's
     * work per task). The numbers are the ones the script would have taken itself, only taken just before it runs:
     * FIFO within a batch and between batches of one producer is unchanged, and tasks of calls that overlap in time
     * were never ordered. Returns the first number per group; groups left out (small, or READONLY) get 0, and their
     * script takes its own numbers as before.
     */
    private Map<Where, Long> reserveSequence(Map<Where, List<Integer>> groups) {
        Map<Where, CompletableFuture<Long>> sent = new LinkedHashMap<>();
        for (Map.Entry<Where, List<Integer>> g : groups.entrySet()) {
            if (g.getValue().size() >= RESERVE_MIN) {
                sent.put(g.getKey(), conns.async().incrby(keys.queue(g.getKey().physical())[Keys.SEQ],
                        g.getValue().size()).toCompletableFuture());
            }
        }
        Map<Where, Long> first = new LinkedHashMap<>();
        boolean readOnly = false;
        for (Map.Entry<Where, CompletableFuture<Long>> r : sent.entrySet()) {
            try {
                first.put(r.getKey(), await(r.getValue()) - groups.get(r.getKey()).size() + 1);
            } catch (RedisCommandExecutionException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("READONLY")) {
                    throw e;
                }
                readOnly = true;
            }
        }
        if (readOnly) {
            conns.readOnly();
        }
        return first;
    }

    /** The enqueue script's reply: 1 or 0 per message. */
    private static final Supplier<CommandOutput<String, String, List<Long>>> ENQUEUE_REPLY =
            () -> new IntegerListOutput<>(StringCodec.UTF8);

    /** One enqueue script call's share of a batch. */
    private static final class EnqueueSlice {
        final Where where;
        final List<Integer> idx;
        /** The reserved sequence number of the slice's first message, 0 if the script numbers them. */
        final long firstSeq;
        CommandArgs<String, String> args;
        CompletableFuture<List<Long>> reply;

        EnqueueSlice(Where where, List<Integer> idx, long firstSeq) {
            this.where = where;
            this.idx = idx;
            this.firstSeq = firstSeq;
        }

        void read(List<Long> r, Boolean[] out) {
            for (int k = 0; k < idx.size(); k++) {
                out[idx.get(k)] = r.get(k) == 1L;
            }
        }
    }

    /**
     * The enqueue script's arguments after KEYS: the common ones, the message count (negative if the sequence
     * numbers were reserved), then runs of consecutive messages with the same task, priority and eta (count, task,
     * priority, eta; a lone message without the count) each followed by its messages' id and body, or with
     * reserved numbers id, score and job field (the stored layout, {@code score\ntask\nbody}). The messages of one
     * submitAll mostly share all three, so Redis parses and turns into Lua strings two or three arguments per
     * message instead of five (about a seventh of the script's work per task).
     */
    private CommandArgs<String, String> enqueueArgs(EnqueueSlice sl, List<TaskMessage> messages) {
        Instant now = clock.instant();
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String c : common(sl.where.queue(), now.toEpochMilli(), now)) {
            args.add(c);
        }
        List<Integer> idx = sl.idx;
        args.add(sl.firstSeq == 0 ? idx.size() : -idx.size());
        for (int from = 0; from < idx.size(); ) {
            TaskMessage first = messages.get(idx.get(from));
            int to = from + 1;
            while (to < idx.size() && sameRun(first, messages.get(idx.get(to)))) {
                to++;
            }
            if (idx.size() > 1) {
                args.add(to - from); // a lone message's run goes without its count: every argument costs Redis
            }
            args.add(first.task()).add(first.priority())
                    .add(first.eta() == null ? "" : Long.toString(first.eta().toEpochMilli()));
            for (int k = from; k < to; k++) {
                TaskMessage m = messages.get(idx.get(k));
                if (sl.firstSeq == 0) {
                    args.add(m.id()).add(m.body());
                } else {
                    String score = Long.toString((9L - m.priority()) * BAND_L + sl.firstSeq + k);
                    args.add(m.id()).add(score).add(score + "\n" + m.task() + "\n" + m.body());
                }
            }
            from = to;
        }
        return args;
    }

    private static boolean sameRun(TaskMessage a, TaskMessage b) {
        return a.priority() == b.priority() && a.task().equals(b.task()) && Objects.equals(a.eta(), b.eta());
    }

    /** Waits for a pipelined reply; failures surface as the exceptions the synchronous API throws. */
    private static <T> T await(CompletableFuture<T> f) {
        return Scripts.await(f);
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + request.maxWait().toNanos();
        for (String q : request.queues()) {
            registry.register(q, partitionsOf(q)); // queues filled before the registry existed get listed too
        }
        List<String> markerList = new ArrayList<>();
        for (String q : request.queues()) {
            for (String p : allPartitions(q)) {
                markerList.add(keys.queue(p)[Keys.MARKER]);
            }
        }
        String[] markers = markerList.toArray(new String[0]);
        ClaimRound round = null;
        DryHint dry = takeDryHint(request);
        if (dry != null) {
            // The consumer's previous claim left every one of these queues without ready work; anything enqueued,
            // released, reaped or retried since then has set a marker, and the only other change, time passing, is
            // covered by its wake-up time. So wait on the markers first instead of running an empty claim (after a
            // claim that got fewer tasks than asked, the worker asks again at once for the remaining slots).
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs > 0) {
                round = waitThenClaim(request, markers, waitMs(leftMs, dry.nextWakeMs));
            }
        }
        while (true) {
            checkOpen();
            if (round == null) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                round = claimNow(request);
            }
            if (round.failure != null) {
                if (round.out.isEmpty()) {
                    // Nothing claimed and a queue failed: the caller sees the failure (and reports unhealthy).
                    throw round.failure;
                }
                log.debug("claim: some queues failed, delivering what the others had: {}", round.failure.toString());
                return round.out;
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!round.out.isEmpty() || leftMs <= 0) {
                if (round.allDry) {
                    putDryHint(request, round.nextWake);
                }
                return round.out;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            round = waitThenClaim(request, markers, waitMs(leftMs, round.nextWake));
        }
    }

    /**
     * Whether an error of a claim sent ahead says that this form of claim cannot work here: raised inside the script
     * (an ACL refusing TIME reads "ERR The user executing the script can't run this command ... @user_script") or a
     * refused permission. Other errors (LOADING after a restart, BUSY, MASTERDOWN) pass, like any claim's failure.
     */
    static boolean refusesClaimAhead(String message) {
        return message != null && (message.contains("@user_script") || message.contains("@user_function")
                || message.contains("NOPERM") || message.contains("no permissions"));
    }

    /** What one pass over the requested queues claimed, and whether every queue ran dry (with the next wake-up). */
    private static final class ClaimRound {
        final List<Delivery> out = new ArrayList<>();
        long nextWake = -1;
        boolean allDry = true;
        RuntimeException failure;

        void wake(long wake) {
            if (wake == NOT_DRY) {
                allDry = false;
            } else if (wake >= 0 && (nextWake < 0 || wake < nextWake)) {
                nextWake = wake;
            }
        }
    }

    /** One claim pass over the requested queues, in order, until the request is filled. */
    private ClaimRound claimNow(ClaimRequest request) throws InterruptedException {
        ClaimRound round = new ClaimRound();
        for (Where w : claimOrder(request.queues())) {
            if (round.out.size() >= request.max()) {
                round.allDry = false;
                break;
            }
            try {
                round.wake(claimFrom(w, request, request.max() - round.out.size(), round.out));
            } catch (RedisCommandInterruptedException e) {
                // The worker is stopping; report it as the interrupt it is, not as a broker failure. What the
                // other queues gave goes to the caller, which hands it back (see Broker#claim).
                if (round.out.isEmpty()) {
                    Thread.interrupted();
                    throw new InterruptedException("claim interrupted");
                }
                round.allDry = false;
                return round;
            } catch (RuntimeException e) {
                // One unreachable shard (failover in progress) must not stop consumption from the others.
                if (round.failure == null) {
                    round.failure = e;
                }
            }
        }
        return round;
    }

    /**
     * Waits on the markers, then claims. A consumer of one queue (one partition) with the system clock gets its
     * claim sent ahead, queued behind the blocking pop on the waiting connection (see
     * {@link MarkerWait#awaitThen}): the claim then runs the moment the pop returns, which saves a woken worker a
     * round trip and a thread hand-off. Since it runs later than it was sent, it takes its time from Redis (the
     * later of Redis's clock and the sender's, see lib.lua). Otherwise, or if the claim sent ahead was refused
     * (NOSCRIPT after a restart, READONLY after a failover: it did not run), this only waits and returns null, and
     * the caller claims as usual.
     */
    private ClaimRound waitThenClaim(ClaimRequest request, String[] markers, long waitMs)
            throws InterruptedException {
        String consumer = request.consumerId();
        markerWaits.merge(consumer, 1, Integer::sum);
        try {
            return waitThenClaimCounted(request, markers, waitMs);
        } finally {
            markerWaits.computeIfPresent(consumer, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * Consumers with a claim waiting on the markers right now (consumer id → how many). A finish of such a consumer
     * does not refill the slots it frees: the waiting claim is woken by any work that arrives (everything that makes
     * work claimable sets a marker), so a refill would only find the queue empty, as it does at low load, where it
     * cost a read per task.
     */
    private final Map<String, Integer> markerWaits = new java.util.concurrent.ConcurrentHashMap<>();

    private ClaimRound waitThenClaimCounted(ClaimRequest request, String[] markers, long waitMs)
            throws InterruptedException {
        List<Where> order = claimOrder(request.queues());
        if (!claimAhead || !systemClock || order.size() != 1) {
            markerWait.await(markers, waitMs);
            return null;
        }
        Where w = order.get(0);
        List<String> args = claimArgs(w.queue(), request, request.max());
        args.set(1, ""); // no time of its own: lib.lua reads Redis's clock
        long fence = claimFence.forClaimAhead(waitMs);
        args.set(args.size() - 1, Long.toString(fence));
        String[] argv = args.toArray(new String[0]);
        long timeoutMs = waitMs + MarkerWait.GRACE_MS + commandTimeoutMs;
        List<Object> r;
        try {
            r = markerWait.awaitThen(markers, waitMs,
                    a -> scripts.sendBehindWait(a, Name.CLAIM, keys.queue(w.physical()), argv, timeoutMs));
        } catch (RedisCommandInterruptedException e) {
            Thread.interrupted();
            throw new InterruptedException("claim interrupted");
        } catch (RuntimeException e) {
            if (Scripts.refusedBeforeRunning(e)) {
                return null;
            }
            if (e instanceof RedisCommandExecutionException && refusesClaimAhead(e.getMessage())) {
                // The server refuses this form (an ACL without TIME, say): claim the ordinary way from now on.
                claimAhead = false;
                log.warn("claims sent ahead of a marker wait are refused ({}); claiming after each wait instead",
                        e.getMessage());
                return null;
            }
            ClaimRound failed = new ClaimRound();
            failed.failure = e;
            return failed;
        }
        if (r == null || claimFence.fenced(r, fence)) {
            return null; // not run, or it ran past its fence and claimed nothing: claim the ordinary way
        }
        ClaimRound round = new ClaimRound();
        round.wake(readClaim(w.queue(), r, round.out));
        if (round.out.isEmpty() && Thread.interrupted()) {
            throw new InterruptedException("claim interrupted");
        }
        // Interrupted or not, what the claim behind the wait got goes to the caller, which hands it back if it is
        // stopping (see Broker#claim): the interrupt status stays set for it to see.
        return round;
    }

    /** How long an idle claim waits on the markers: what is left of its wait, at most until the next wake-up. */
    private long waitMs(long leftMs, long nextWakeMs) {
        long waitMs = leftMs;
        if (nextWakeMs >= 0) {
            waitMs = Math.min(waitMs, Math.max(1, nextWakeMs - clock.millis() + 1));
            if (!systemClock) {
                waitMs = Math.min(waitMs, TEST_CLOCK_SLICE_MS);
            }
        }
        return waitMs;
    }

    /** The claim script's wake-up value when it claimed as many as asked: the queue may hold more ready work. */
    private static final long NOT_DRY = -2;
    /** A dry hint older than this is not used (it would still be correct; this just bounds how long one lives). */
    private static final long DRY_HINT_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Left by a claim that found every queue of its request without ready work; used by the consumer's next claim. */
    private record DryHint(List<String> queues, long nextWakeMs, long atNanos) {
    }

    private final Map<String, DryHint> dryHints = new java.util.concurrent.ConcurrentHashMap<>();

    private void putDryHint(ClaimRequest request, long nextWakeMs) {
        if (dryHints.size() > 10_000) {
            // Consumers that stopped right after a claim leave one each; never let them pile up.
            dryHints.clear();
        }
        dryHints.put(request.consumerId(), new DryHint(sortedQueues(request), nextWakeMs, System.nanoTime()));
    }

    private DryHint takeDryHint(ClaimRequest request) {
        DryHint h = dryHints.remove(request.consumerId());
        if (h == null || System.nanoTime() - h.atNanos > DRY_HINT_MAX_AGE_NANOS
                || !h.queues.equals(sortedQueues(request))) {
            return null;
        }
        return h;
    }

    private static List<String> sortedQueues(ClaimRequest request) {
        List<String> q = request.queues();
        if (q.size() == 1) {
            return q;
        }
        List<String> s = new ArrayList<>(q);
        java.util.Collections.sort(s);
        return s;
    }

    /** The queues in the requested order; a partitioned queue's partitions round-robin from call to call. */
    private List<Where> claimOrder(List<String> queues) {
        List<Where> out = new ArrayList<>();
        int turn = -1;
        for (String q : queues) {
            int n = partitionsOf(q);
            if (n == 1) {
                out.add(new Where(q, q));
                continue;
            }
            if (turn < 0) {
                turn = roundRobin.getAndIncrement() & Integer.MAX_VALUE;
            }
            for (int i = 0; i < n; i++) {
                out.add(new Where(q, q + "#" + ((turn + i) % n)));
            }
        }
        return out;
    }

    /**
     * Claims from one queue into {@code out}; returns {@link #NOT_DRY} if it got as many as asked, else the queue's
     * next wake-up time (-1 if none).
     */
    private long claimFrom(Where w, ClaimRequest request, int max, List<Delivery> out) {
        List<String> args = claimArgs(w.queue(), request, max);
        String fence = args.get(args.size() - 1);
        List<Object> r = scripts.runWaitingOut(conns, Name.CLAIM, keys.queue(w.physical()),
                args.toArray(new String[0]));
        if (claimFence.fenced(r, fence.isEmpty() ? -1 : Long.parseLong(fence))) {
            return NOT_DRY; // it reached Redis too late and claimed nothing; the marker is set again if work is ready
        }
        long wake = readClaim(w.queue(), r, out);
        if (Thread.currentThread().isInterrupted()) {
            // The worker stops: claimNow hands what this call claimed back.
            throw new RedisCommandInterruptedException(new InterruptedException("claim interrupted"));
        }
        return wake;
    }

    /** The claim script's arguments: the common ones, then consumer, max, lease, startNow, fence. */
    private List<String> claimArgs(String queue, ClaimRequest request, int max) {
        Instant now = clock.instant();
        List<String> args = common(queue, now.toEpochMilli(), now);
        args.add(request.consumerId());
        args.add(Integer.toString(max));
        args.add(Long.toString(request.lease().toMillis()));
        // The tasks claimed before this call (other queues of the request) took the first free slots.
        args.add(Integer.toString(Math.max(0, request.startNow() - (request.max() - max))));
        args.add(claimFence.forCall());
        return args;
    }

    /** Reads a claim script's answer into {@code out}; returns its wake-up value (see claim.lua). */
    private static long readClaim(String queue, List<?> r, List<Delivery> out) {
        int count = ((Long) r.get(0)).intValue();
        for (int i = 0; i < count; i++) {
            int b = 2 + i * 4;
            String id = (String) r.get(b);
            int attempt = ((Long) r.get(b + 1)).intValue();
            long token = Long.parseLong((String) r.get(b + 2));
            String job = (String) r.get(b + 3);
            int nl1 = job.indexOf('\n');
            int nl2 = job.indexOf('\n', nl1 + 1);
            double score = Double.parseDouble(job.substring(0, nl1));
            int priority = Math.max(0, 9 - (int) Math.floor(score / BAND)); // a hand-written score may be off
            out.add(new Delivery(id, queue, job.substring(nl1 + 1, nl2), priority, job.substring(nl2 + 1), attempt,
                    token));
        }
        return (Long) r.get(1);
    }

    @Override
    public void markStarted(List<Delivery> deliveries, Instant at) {
        checkOpen();
        if (deliveries.isEmpty()) {
            return;
        }
        List<Started> items = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            items.add(new Started(d, at));
        }
        starts.submit(items);
    }

    private List<Boolean> startedBatch(List<Started> items) {
        for (Map.Entry<Where, List<Started>> g
                : byQueue(items, s -> where(s.delivery().queue(), s.delivery().id())).entrySet()) {
            Instant now = clock.instant();
            List<String> args = common(g.getKey().queue(), now.toEpochMilli(), now);
            List<Started> list = g.getValue();
            args.add(Integer.toString(list.size()));
            args.add(list.get(0).at().toString());
            for (Started s : list) {
                args.add(s.delivery().id());
                args.add(Long.toString(s.delivery().token()));
            }
            run(Name.STARTED, ScriptOutputType.INTEGER, g.getKey().physical(), args);
        }
        return java.util.Collections.nCopies(items.size(), Boolean.TRUE);
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        checkOpen();
        Set<String> lost = new HashSet<>();
        Set<String> revoked = new HashSet<>();
        for (Map.Entry<Where, List<Delivery>> g : byQueue(deliveries, d -> where(d.queue(), d.id())).entrySet()) {
            Instant now = clock.instant();
            List<String> args = common(g.getKey().queue(), now.toEpochMilli(), now);
            args.add(Integer.toString(g.getValue().size()));
            args.add(Long.toString(lease.toMillis()));
            for (Delivery d : g.getValue()) {
                args.add(d.id());
                args.add(Long.toString(d.token()));
            }
            List<Object> r = run(Name.RENEW, ScriptOutputType.MULTI, g.getKey().physical(), args);
            for (Object o : (List<?>) r.get(0)) {
                lost.add((String) o);
            }
            for (Object o : (List<?>) r.get(1)) {
                revoked.add((String) o);
            }
        }
        return new RenewResult(lost, revoked);
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
        Map<Where, List<Delivery>> startGroups = byQueue(started, d -> where(d.queue(), d.id()));
        Map<Where, List<Outcome>> outcomeGroups = byQueue(outcomes, o -> where(o.delivery().queue(),
                o.delivery().id()));
        if (next != null && markerWaits.containsKey(next.consumerId())) {
            next = null; // its fetch loop waits on the markers: see markerWaits
        }
        List<Where> order = new ArrayList<>();
        if (next != null) {
            order.addAll(claimOrder(next.queues()));
        }
        for (Where w : outcomeGroups.keySet()) {
            if (!order.contains(w)) {
                order.add(w);
            }
        }
        for (Where w : startGroups.keySet()) {
            if (!order.contains(w)) {
                order.add(w);
            }
        }
        Map<Where, FollowUps> followUps = followUps(outcomeGroups); // checked before anything is sent
        Map<Outcome, Boolean> accepted = new java.util.IdentityHashMap<>();
        List<Delivery> claimed = new ArrayList<>();
        RuntimeException failure = null;
        String startIso = startedAt.toString();
        for (Where w : order) {
            List<Delivery> st = startGroups.getOrDefault(w, List.of());
            List<Outcome> oc = outcomeGroups.getOrDefault(w, List.of());
            int want = next == null ? 0 : next.max() - claimed.size();
            if (st.isEmpty() && oc.isEmpty() && want <= 0) {
                continue;
            }
            Instant now = clock.instant();
            List<String> args = common(w.queue(), now.toEpochMilli(), now);
            args.add(Integer.toString(st.size()));
            args.add(startIso);
            for (Delivery d : st) {
                args.add(d.id());
                args.add(Long.toString(d.token()));
            }
            addOutcomes(args, oc);
            FollowUps fu = followUps.get(w);
            args.addAll(fu == null ? List.of("0") : fu.args());
            args.add(next == null ? "" : next.consumerId());
            args.add(Integer.toString(Math.max(0, want)));
            args.add(next == null ? "0" : Long.toString(next.lease().toMillis()));
            args.add(next == null ? "0" : Integer.toString(Math.max(0, Math.min(want, next.startNow()
                    - claimed.size()))));
            args.add(next == null ? "" : claimFence.forCall());
            try {
                List<Object> r = fu == null ? run(Name.FINISH_CLAIM, ScriptOutputType.MULTI, w.physical(), args)
                        : scripts.run(conns, Name.FINISH_CLAIM, ScriptOutputType.MULTI, fu.keys(),
                        args.toArray(new String[0]));
                List<?> acc = (List<?>) r.get(0);
                for (int i = 0; i < oc.size(); i++) {
                    accepted.put(oc.get(i), ((Long) acc.get(i)) == 1L);
                }
                readClaim(w.queue(), (List<?>) r.get(1), claimed);
            } catch (RuntimeException e) {
                if (!oc.isEmpty() && failure == null) {
                    failure = e;
                }
                // Only a claim (or start reports) failed here: the outcomes of other queues stand.
            }
        }
        if (failure != null) {
            if (!claimed.isEmpty()) {
                try {
                    release(claimed);
                } catch (RuntimeException re) {
                    log.debug("hand-back after a failed report failed; leases will expire: {}", re.toString());
                }
            }
            throw failure;
        }
        List<Boolean> out = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            out.add(accepted.get(o));
        }
        return new FinishAndClaim(out, claimed);
    }

    /**
     * The follow-ups of each queue's outcomes (see FollowUps), checked (size; on a Cluster, the slot), their queues
     * registered; queues whose outcomes have none are left out.
     */
    private Map<Where, FollowUps> followUps(Map<Where, List<Outcome>> outcomeGroups) {
        Map<Where, FollowUps> out = new LinkedHashMap<>();
        for (Map.Entry<Where, List<Outcome>> g : outcomeGroups.entrySet()) {
            if (g.getValue().stream().allMatch(o -> o.followUps().isEmpty())) {
                continue;
            }
            out.put(g.getKey(), FollowUps.of(g.getValue(), g.getKey().physical(), keys, conns,
                    m -> partitionOf(m.queue(), m.id()), maxMessageBytes));
        }
        for (List<Outcome> list : outcomeGroups.values()) {
            for (Outcome o : list) {
                for (TaskMessage m : o.followUps()) {
                    registry.register(m.queue(), partitionsOf(m.queue())); // listed before its first task
                }
            }
        }
        return out;
    }

    private static void addOutcomes(List<String> args, List<Outcome> list) {
        args.add(Integer.toString(list.size()));
        for (Outcome o : list) {
            args.add(o.delivery().id());
            args.add(Long.toString(o.delivery().token()));
            args.add(switch (o.kind()) {
                case DONE -> "D";
                case RETRY -> "R";
                case DEAD -> "X";
            });
            args.add(o.record() == null ? "" : json(o.record()));
            args.add(o.retryAt() == null ? "" : Long.toString(o.retryAt().toEpochMilli()));
            args.add(o.newBody() == null ? "" : o.newBody());
            args.add(o.reason() == null ? "" : o.reason());
        }
    }

    private static String json(TaskRecord r) {
        return io.taskq.internal.JsonText.record(r);
    }

    @Override
    public void release(List<Delivery> deliveries) {
        checkOpen();
        for (Map.Entry<Where, List<Delivery>> g : byQueue(deliveries, d -> where(d.queue(), d.id())).entrySet()) {
            Instant now = clock.instant();
            List<String> args = common(g.getKey().queue(), now.toEpochMilli(), now);
            args.add(Integer.toString(g.getValue().size()));
            for (Delivery d : g.getValue()) {
                args.add(d.id());
                args.add(Long.toString(d.token()));
            }
            run(Name.RELEASE, ScriptOutputType.INTEGER, g.getKey().physical(), args);
        }
    }

    @Override
    public RevokeResult revoke(String queue, String id, String reason) {
        checkOpen();
        String r = runOn(Name.REVOKE, ScriptOutputType.VALUE, queue, partitionOf(queue, id), id,
                reason == null ? "revoked" : reason, Long.toString(revokeMarkerTtl.toMillis()));
        return RevokeResult.valueOf(r);
    }

    @Override
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        checkOpen();
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> queues = registry.all();
        queues.replaceAll((q, n) -> partitions.getOrDefault(q, n)); // this broker's own setting wins
        return locator.locate(queues, ids);
    }

    @Override
    public Map<String, TaskLocation> locate(String queue, Collection<String> ids) {
        checkOpen();
        return ids.isEmpty() ? Map.of() : locator.locate(Map.of(queue, partitionsOf(queue)), ids);
    }

    @Override
    public Set<String> queues() {
        checkOpen();
        return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(registry.all().keySet()));
    }

    // ------------------------------------------------------------------------------------------ QueueAdmin

    /** This broker: it administers its own queues. */
    @Override
    public Optional<QueueAdmin> queueAdmin() {
        return Optional.of(this);
    }

    /** One {@code inspect list} script per partition (pipelined), each reading a page by rank; see TaskListing. */
    @Override
    public TaskPage tasks(String queue, TaskLocation.Place place, TaskPage.Order order, int limit, String cursor) {
        checkOpen();
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(order, "order");
        return listing.page(queue, allPartitions(queue), place, order, limit, cursor);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        checkOpen();
        if (limit <= 0) {
            return List.of();
        }
        List<DeadLetter> out = new ArrayList<>();
        for (String p : allPartitions(queue)) {
            List<Object> r = runOn(Name.INSPECT, ScriptOutputType.MULTI, queue, p, "dead", Integer.toString(limit));
            DeadLetterEntries.read(queue, r, out);
        }
        if (partitionsOf(queue) > 1) {
            out.sort(java.util.Comparator.comparing(DeadLetter::deadAt).reversed());
            return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
        }
        return out;
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        checkOpen();
        List<Object> r = runOn(Name.INSPECT, ScriptOutputType.MULTI, queue, partitionOf(queue, id), "deadone", id);
        List<DeadLetter> out = new ArrayList<>(1);
        DeadLetterEntries.read(queue, r, out);
        return out.stream().findFirst();
    }

    @Override
    public boolean resubmitDeadLetter(String queue, String id, String newBody) {
        checkOpen();
        registry.register(queue, partitionsOf(queue)); // a queue filled before the registry existed
        Long r;
        try {
            r = runOn(Name.RESUBMIT, ScriptOutputType.INTEGER, queue, partitionOf(queue, id), id, newBody);
        } catch (RedisCommandExecutionException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("cannot be resubmitted")) {
                throw new IllegalStateException(m.startsWith("ERR ") ? m.substring(4) : m, e);
            }
            throw e;
        }
        return r == 1L;
    }

    @Override
    public long purgeDeadLetters(String queue) {
        checkOpen();
        long total = 0;
        for (String p : allPartitions(queue)) {
            while (true) {
                Long n = runOn(Name.INSPECT, ScriptOutputType.INTEGER, queue, p, "purge");
                total += n;
                if (n == 0) {
                    break;
                }
            }
        }
        return total;
    }

    @Override
    public QueueStats stats(String queue) {
        checkOpen();
        long[] sum = new long[4];
        for (String p : allPartitions(queue)) {
            List<Object> r = runOn(Name.INSPECT, ScriptOutputType.MULTI, queue, p, "stats");
            for (int i = 0; i < 4; i++) {
                sum[i] += (Long) r.get(i);
            }
        }
        return new QueueStats(queue, sum[0], sum[1], sum[2], sum[3]);
    }

    // ------------------------------------------------------------------------------------------ ResultBackend

    @Override
    public Optional<TaskRecord> get(String queue, String id) {
        checkOpen();
        return await(read(queue, id));
    }

    /**
     * Reads a record without blocking. Two plain reads pipelined, no script: the most frequent read (result waits
     * start with one) costs Redis a fraction of a script run. Not atomic, and need not be: whatever runs between the
     * two reads, the answer is a state the record had at some moment between them.
     */
    private CompletableFuture<Optional<TaskRecord>> read(String queue, String id) {
        String[] k = keys.queue(partitionOf(queue, id));
        var async = conns.async();
        CompletableFuture<Double> expiry = async.zscore(k[Keys.RESX], id).toCompletableFuture();
        CompletableFuture<String> record = async.hget(k[Keys.RES], id).toCompletableFuture();
        return expiry.thenCombine(record, (exp, json) -> {
            if (json == null || (exp != null && exp <= clock.millis())) {
                return Optional.<TaskRecord>empty(); // none, or expired and not trimmed yet
            }
            try {
                return Optional.of(JsonText.readRecord(json));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable record of task " + id + " in queue " + queue, e);
            }
        });
    }

    @Override
    public CompletableFuture<TaskRecord> awaitFinal(String queue, String id) {
        checkOpen();
        return finalWaiters.await(queue, id);
    }

    // ------------------------------------------------------------------------------------------ Leases

    @Override
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        checkOpen();
        Long r = scripts.run(conns, Name.LEASE, ScriptOutputType.INTEGER, new String[] {keys.lease(name)}, "acquire",
                Long.toString(clock.millis()), owner, Long.toString(ttl.toMillis()));
        return r == 1L;
    }

    @Override
    public void release(String name, String owner) {
        checkOpen();
        scripts.run(conns, Name.LEASE, ScriptOutputType.INTEGER, new String[] {keys.lease(name)}, "release",
                Long.toString(clock.millis()), owner, "0");
    }

    @Override
    public Optional<String> holder(String name) {
        checkOpen();
        String r = scripts.run(conns, Name.LEASE, ScriptOutputType.VALUE, new String[] {keys.lease(name)}, "holder",
                Long.toString(clock.millis()), "", "0");
        return Optional.ofNullable(r);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /** Timeouts, lost connections and the error replies of a Redis starting or failing over; see RedisFailures. */
    @Override
    public boolean isTransient(RuntimeException failure) {
        return !closed && RedisFailures.isTransient(failure);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        finalWaiters.close();
        markerWait.close();
        background.shutdownNow();
        conns.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        log.info("Redis broker (prefix '{}') closed", prefix);
    }

    /** Builds a {@link RedisBroker}. */
    public static final class Builder {
        private String keyPrefix = "taskq";
        private Clock clock = Clock.systemUTC();
        private Duration resultTtl = Duration.ofHours(24);
        private int maxRedeliveries = 5;
        private int deadLetterMaxCount = 10_000;
        private Duration deadLetterMaxAge = Duration.ofDays(30);
        private Duration revokeMarkerTtl = Duration.ofHours(24);
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private boolean functions = true;
        private final Endpoint endpoint = new Endpoint();
        private final Map<String, Integer> partitions = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Connects to a Redis Cluster through these seed nodes (any reachable node will do; the topology is
         * discovered and refreshed). Each seed like {@link #uri(String)}: {@code redis://user:pass@host:port} or
         * {@code rediss://} for TLS. Replaces {@link #uri}.
         */
        public Builder cluster(String... seeds) {
            endpoint.cluster(seeds);
            return this;
        }

        /** A Redis Cluster through these seed nodes, as Lettuce URIs (not modified). Replaces {@link #uri}. */
        public Builder cluster(List<RedisURI> seeds) {
            endpoint.cluster(seeds);
            return this;
        }

        /**
         * How often a Cluster client re-reads the topology even without a trigger (default 5 s). MOVED/ASK
         * redirects and failing reconnects trigger a refresh at once.
         */
        public Builder topologyRefreshPeriod(Duration period) {
            endpoint.topologyRefresh(period);
            return this;
        }

        /** TLS settings (trust store, key store, protocols) for {@code rediss://} URIs. */
        public Builder sslOptions(SslOptions options) {
            endpoint.ssl(options);
            return this;
        }

        /**
         * A trust store (JKS or PKCS12 file) holding the CA that signed the Redis server certificate, for
         * {@code rediss://} URIs; ignored if {@link #sslOptions} is set.
         */
        public Builder trustStore(java.nio.file.Path path, String password) {
            endpoint.trustStore(path, password);
            return this;
        }

        /**
         * Spreads a queue over {@code n} partitions, each its own Cluster slot ({@code {prefix:queue#0}} ..
         * {@code {prefix:queue#n-1}}), so one hot queue can use several shards. Producers put a task in partition
         * {@code floorMod(id.hashCode(), n)}; consumers claim round-robin over the partitions; priorities and FIFO
         * hold within a partition. Every broker of the prefix (producers and workers) must use the same n, and n
         * must not change while the queue holds tasks.
         */
        public Builder partitions(String queue, int n) {
            Objects.requireNonNull(queue, "queue");
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("partitions must be 1..1024");
            }
            if (n == 1) {
                partitions.remove(queue);
            } else {
                partitions.put(queue, n);
            }
            return this;
        }

        /** The server, e.g. {@code redis://user:pass@host:6379/0} ({@code rediss://} for TLS). */
        public Builder uri(String uri) {
            return uri(Endpoint.parse(uri));
        }

        /** The server as a Lettuce URI (Sentinel, TLS, ACL settings included; not modified). Replaces {@link #cluster}. */
        public Builder uri(RedisURI uri) {
            endpoint.uri(uri);
            return this;
        }

        /**
         * The namespace (default "taskq"): brokers with different prefixes on one Redis never see each other's
         * tasks, results or leases. Letters, digits, '.', '_' and '-' only.
         */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Settings.keyPrefix(prefix);
            return this;
        }

        /** The clock for every time the scripts see (ETAs, leases, retention); tests pass a controllable one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long task records are kept after their last change (default 24 h). */
        public Builder resultTtl(Duration ttl) {
            this.resultTtl = positive(ttl, "resultTtl");
            return this;
        }

        /**
         * How many leases a task may lose after it started before it is dead-lettered (default 5); leases lost before
         * it started (held by a worker that died of another task) are bounded by {@code max(10, 3 × n)}.
         */
        public Builder maxRedeliveries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRedeliveries must be >= 0");
            }
            this.maxRedeliveries = n;
            return this;
        }

        /** Most dead letters kept per queue (default 10,000); the oldest go first. */
        public Builder deadLetterMaxCount(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("deadLetterMaxCount must be positive");
            }
            this.deadLetterMaxCount = n;
            return this;
        }

        /** How long dead letters are kept (default 30 days). */
        public Builder deadLetterMaxAge(Duration age) {
            this.deadLetterMaxAge = positive(age, "deadLetterMaxAge");
            return this;
        }

        /**
         * How long a revoke of an id its queue does not know is remembered, so that a task submitted with that id
         * within this time is revoked on arrival (default 24 h). Expired markers are ignored and deleted, up to 100
         * per revoke call.
         */
        public Builder revokeMarkerTtl(Duration ttl) {
            this.revokeMarkerTtl = positive(ttl, "revokeMarkerTtl");
            return this;
        }

        /**
         * The longest stored message, in bytes (default 1 MiB + 64 KiB: {@code Taskq.Builder.maxMessageBytes}'s
         * default plus room for the task name): what the queue holds per task, the task name and the body with an
         * 18-byte frame. Enqueue refuses a longer message (this client with an {@link IllegalArgumentException}
         * before sending, the scripts for any client), and a claim dead-letters one written into Redis by other
         * means, keeping only its beginning, instead of handing it out. Give every broker of a prefix the same
         * limit, at least the producers' {@code maxMessageBytes} plus the longest task name and 18.
         */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * Whether the queue scripts run as a Redis Functions library on Redis 7 and later (default true): loaded once
         * per server, where an EVAL script repeats its shared definitions on every call. Where the server or the
         * ACL refuses functions the broker uses EVALSHA anyway; false uses it always (a managed Redis that forbids
         * {@code FUNCTION}, say).
         */
        public Builder functions(boolean use) {
            this.functions = use;
            return this;
        }

        /** Timeout of ordinary commands (default 5 s); blocking waits get their block time plus 2 s. */
        public Builder commandTimeout(Duration timeout) {
            endpoint.commandTimeout(timeout);
            return this;
        }

        /** TCP connect timeout (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            endpoint.connectTimeout(timeout);
            return this;
        }

        /**
         * How long {@link #build()} keeps trying to reach Redis when it is not reachable yet (refused, timed out,
         * still loading; default 60 s), with a growing pause and a WARN per retry, so that an application started
         * during a Redis restart waits instead of failing. {@link Duration#ZERO}: fail at once. Wrong credentials
         * and missing ACL permissions fail at once either way.
         */
        public Builder startupRetryTimeout(Duration timeout) {
            endpoint.startupRetryTimeout(timeout);
            return this;
        }

        private static Duration positive(Duration d, String name) {
            return Settings.positive(d, name);
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
            if (!endpoint.isSet()) {
                throw new IllegalStateException("set the Redis URI or the cluster seed nodes");
            }
            return new RedisBroker(this);
        }
    }
}
