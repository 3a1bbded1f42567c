package io.taskq.internal;

import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import io.taskq.TaskState;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.MemoryBroker;
import io.taskq.spi.Outcome;
import io.taskq.spi.RenewResult;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded broker, result backend and lease store: everything in this JVM's memory, with the same semantics
 * as the Redis broker (delays, priorities, leases, fencing, revoke, dead letters), for demos and tests. State is
 * lost when the JVM exits.
 */
public final class InMemoryBroker implements MemoryBroker {

    /** Settings shared by the brokers. */
    public record Settings(Clock clock, Duration resultTtl, int maxRedeliveries, int deadLetterMaxCount,
                           Duration deadLetterMaxAge, Duration revokeMarkerTtl) {
        /**
         * Defaults: UTC system clock, results kept 24 h, 5 redeliveries, 10,000 dead letters for 30 days, revokes of
         * unknown ids remembered 24 h.
         */
        public static Settings defaults(Clock clock) {
            return new Settings(clock, Duration.ofHours(24), 5, 10_000, Duration.ofDays(30), Duration.ofHours(24));
        }
    }

    private enum Where { READY, DELAYED, IN_FLIGHT }

    private static final class Job {
        final String id;
        final String queue;
        final String task;
        final int priority;
        String body;
        long seq;
        Instant due;
        Where where;
        int attempt;
        /** Leases lost while the task had started (they count against it). */
        int lost;
        /** Leases lost before it started (held by a worker that died of something else); bounded separately. */
        int heldLost;
        /** Whether the current claim started (marked at claim for a task that starts at once, or markStarted). */
        boolean started;
        long token;
        String consumer;
        Instant leaseUntil;
        String revoked;

        Job(TaskMessage m, long seq) {
            this.id = m.id();
            this.queue = m.queue();
            this.task = m.task();
            this.priority = m.priority();
            this.body = m.body();
            this.seq = seq;
        }
    }

    private static final class Queue {
        final Map<String, Job> jobs = new HashMap<>();
        final TreeSet<Job> ready = new TreeSet<>(Comparator.<Job>comparingInt(j -> -j.priority)
                .thenComparingLong(j -> j.seq));
        final TreeSet<Job> delayed = new TreeSet<>(Comparator.<Job, Instant>comparing(j -> j.due)
                .thenComparingLong(j -> j.seq));
        final LinkedHashMap<String, DeadLetter> dead = new LinkedHashMap<>();
        final Map<String, Integer> deadPriority = new HashMap<>();
        final Map<String, Stored> records = new HashMap<>();
        /** Revokes of ids not (yet) in the queue, oldest first (one TTL for all: also in expiry order). */
        final LinkedHashMap<String, Marker> revokedUnknown = new LinkedHashMap<>();
    }

    private record Marker(String reason, Instant expiresAt) {
    }

    private record Stored(TaskRecord record, Instant expiresAt) {
    }

    private record Lease(String owner, Instant until) {
    }

    private final Settings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Queue> queues = new HashMap<>();
    /** The queues enqueued to or claimed from (Broker.queues()); queues() above also holds names only asked about. */
    private final Set<String> registered = new TreeSet<>();
    private final Map<String, List<CompletableFuture<TaskRecord>>> waiters = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private long seq;
    private long tokens;
    private volatile boolean closed;

    /** A broker with the given settings. */
    public InMemoryBroker(Settings settings) {
        this.settings = settings;
        this.clock = settings.clock();
    }

    /** A broker with default settings on the given clock. */
    public InMemoryBroker(Clock clock) {
        this(Settings.defaults(clock));
    }

    private Queue queue(String name) {
        return queues.computeIfAbsent(name, n -> new Queue());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
    }

    @Override
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        lock.lock();
        try {
            checkOpen();
            Instant now = clock.instant();
            List<Boolean> out = new ArrayList<>(messages.size());
            for (TaskMessage m : messages) {
                registered.add(m.queue());
                Queue q = queue(m.queue());
                if (q.jobs.containsKey(m.id()) || liveRecord(q, m.id(), now) != null || q.dead.containsKey(m.id())) {
                    out.add(false);
                    continue;
                }
                Marker marker = q.revokedUnknown.remove(m.id());
                if (marker != null && now.isBefore(marker.expiresAt())) {
                    store(q, new TaskRecord(m.id(), m.queue(), m.task(), TaskState.REVOKED, null, null, 0, 0, null,
                            now, marker.reason()), now);
                    out.add(true);
                    continue;
                }
                Job j = new Job(m, ++seq);
                q.jobs.put(j.id, j);
                if (m.eta() != null && m.eta().isAfter(now)) {
                    j.where = Where.DELAYED;
                    j.due = m.eta();
                    q.delayed.add(j);
                } else {
                    j.where = Where.READY;
                    q.ready.add(j);
                }
                out.add(true);
            }
            changed.signalAll();
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + request.maxWait().toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                checkOpen();
                Instant now = clock.instant();
                List<Delivery> out = new ArrayList<>();
                Instant nextDue = null;
                for (String name : request.queues()) {
                    registered.add(name);
                    Queue q = queue(name);
                    reap(q, now);
                    promote(q, now);
                    while (out.size() < request.max() && !q.ready.isEmpty()) {
                        Job j = q.ready.pollFirst();
                        j.where = Where.IN_FLIGHT;
                        j.attempt++;
                        j.token = ++tokens;
                        j.consumer = request.consumerId();
                        j.leaseUntil = now.plus(request.lease());
                        j.started = out.size() < request.startNow();
                        store(q, new TaskRecord(j.id, j.queue, j.task, TaskState.RECEIVED, null,
                                previousError(q, j.id, now), retriesOf(q, j.id, now), j.attempt, j.consumer, now,
                                null), now);
                        out.add(new Delivery(j.id, j.queue, j.task, j.priority, j.body, j.attempt, j.token));
                    }
                    if (!q.delayed.isEmpty() && (nextDue == null || q.delayed.first().due.isBefore(nextDue))) {
                        nextDue = q.delayed.first().due;
                    }
                }
                long left = deadline - System.nanoTime();
                if (!out.isEmpty() || left <= 0) {
                    return out;
                }
                // Short slices when something is delayed: an injected clock may jump ahead without a signal.
                long wait = nextDue != null ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(Math.max(1,
                        Math.min(50, Duration.between(now, nextDue).toMillis())))) : left;
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    private TaskRecord liveRecord(Queue q, String id, Instant now) {
        Stored s = q.records.get(id);
        if (s == null) {
            return null;
        }
        if (s.expiresAt != null && !now.isBefore(s.expiresAt)) {
            q.records.remove(id);
            return null;
        }
        return s.record;
    }

    private io.taskq.TaskError previousError(Queue q, String id, Instant now) {
        TaskRecord r = liveRecord(q, id, now);
        return r == null ? null : r.error();
    }

    private int retriesOf(Queue q, String id, Instant now) {
        TaskRecord r = liveRecord(q, id, now);
        return r == null ? 0 : r.retries();
    }

    private void promote(Queue q, Instant now) {
        while (!q.delayed.isEmpty() && !q.delayed.first().due.isAfter(now)) {
            Job j = q.delayed.pollFirst();
            j.where = Where.READY;
            j.due = null;
            q.ready.add(j);
        }
    }

    /** Takes back tasks whose worker stopped renewing: ready again, or dead after too many losses. */
    private void reap(Queue q, Instant now) {
        List<Job> expired = new ArrayList<>();
        for (Job j : q.jobs.values()) {
            if (j.where == Where.IN_FLIGHT && !j.leaseUntil.isAfter(now)) {
                expired.add(j);
            }
        }
        for (Job j : expired) {
            // Only a loss while the task ran counts against it (see ClaimRequest.startNow).
            if (j.started) {
                j.lost++;
            } else {
                j.heldLost++;
            }
            j.started = false;
            j.token = ++tokens;
            if (j.revoked != null) {
                q.jobs.remove(j.id);
                store(q, recordOf(j, TaskState.REVOKED, j.revoked, now), now);
            } else if (j.lost > settings.maxRedeliveries() || j.heldLost > heldLossLimit(settings)) {
                q.jobs.remove(j.id);
                String reason = j.lost > settings.maxRedeliveries()
                        ? "lease expired " + j.lost + " times: the worker died or stalled every time (poison task?)"
                        : "lease expired " + j.heldLost + " times before the task started: its workers died or"
                        + " stalled while they held it";
                addDead(q, j, reason, now);
                store(q, new TaskRecord(j.id, j.queue, j.task, TaskState.FAILURE, null,
                        new io.taskq.TaskError("taskq.WorkerLost", reason, ""), retriesOf(q, j.id, now), j.attempt,
                        j.consumer, now, reason), now);
            } else {
                j.where = Where.READY;
                q.ready.add(j);
            }
        }
    }

    /**
     * How many leases a task may lose before it started: other tasks' crashes, so more than maxRedeliveries, but
     * bounded, so that a task whose workers always die before starting it does not circle for ever.
     */
    private static int heldLossLimit(Settings settings) {
        return Math.max(10, 3 * settings.maxRedeliveries());
    }

    private TaskRecord recordOf(Job j, TaskState state, String reason, Instant now) {
        return new TaskRecord(j.id, j.queue, j.task, state, null, null, 0, j.attempt, j.consumer, now, reason);
    }

    private void store(Queue q, TaskRecord r, Instant now) {
        q.records.put(r.id(), new Stored(r, now.plus(settings.resultTtl())));
        if (r.state().isFinal()) {
            List<CompletableFuture<TaskRecord>> ws = waiters.remove(key(r.queue(), r.id()));
            if (ws != null) {
                ws.forEach(f -> f.complete(r));
            }
        }
    }

    private void addDead(Queue q, Job j, String reason, Instant now) {
        q.dead.put(j.id, new DeadLetter(j.id, j.queue, j.task, reason, now, j.attempt, j.body));
        q.deadPriority.put(j.id, j.priority);
        Instant oldest = now.minus(settings.deadLetterMaxAge());
        Iterator<DeadLetter> it = q.dead.values().iterator();
        while (it.hasNext()) {
            DeadLetter d = it.next();
            if (q.dead.size() > settings.deadLetterMaxCount() || d.deadAt().isBefore(oldest)) {
                it.remove();
                q.deadPriority.remove(d.id());
            } else {
                break;
            }
        }
    }

    private static String key(String queue, String id) {
        return queue + "\u0000" + id;
    }

    private Job owned(Queue q, Delivery d) {
        Job j = q.jobs.get(d.id());
        return j != null && j.where == Where.IN_FLIGHT && j.token == d.token() ? j : null;
    }

    @Override
    public void markStarted(List<Delivery> deliveries, Instant at) {
        lock.lock();
        try {
            checkOpen();
            for (Delivery d : deliveries) {
                Queue q = queue(d.queue());
                Job j = owned(q, d);
                if (j != null) {
                    j.started = true;
                    TaskRecord prev = liveRecord(q, d.id(), at);
                    store(q, new TaskRecord(j.id, j.queue, j.task, TaskState.STARTED, null,
                            prev == null ? null : prev.error(), prev == null ? 0 : prev.retries(), j.attempt,
                            j.consumer, at, null), at);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        lock.lock();
        try {
            checkOpen();
            Instant now = clock.instant();
            Set<String> lost = new HashSet<>();
            Set<String> revoked = new HashSet<>();
            for (Delivery d : deliveries) {
                Queue q = queue(d.queue());
                Job j = owned(q, d);
                if (j == null || !j.leaseUntil.isAfter(now)) {
                    lost.add(d.id());
                    continue;
                }
                j.leaseUntil = now.plus(lease);
                if (j.revoked != null) {
                    revoked.add(d.id());
                }
            }
            return new RenewResult(lost, revoked);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Boolean> finish(List<Outcome> outcomes) {
        lock.lock();
        try {
            checkOpen();
            Instant now = clock.instant();
            List<Boolean> out = new ArrayList<>(outcomes.size());
            for (Outcome o : outcomes) {
                Delivery d = o.delivery();
                Queue q = queue(d.queue());
                Job j = owned(q, d);
                if (j == null || !j.leaseUntil.isAfter(now)) {
                    out.add(false);
                    continue;
                }
                switch (o.kind()) {
                    case DONE -> {
                        q.jobs.remove(j.id);
                        if (o.record() != null) {
                            store(q, o.record(), now);
                        } else {
                            q.records.remove(j.id);
                        }
                    }
                    case RETRY -> {
                        j.body = o.newBody();
                        j.where = Where.DELAYED;
                        j.due = o.retryAt();
                        j.token = ++tokens;
                        q.delayed.add(j);
                        store(q, o.record(), now);
                    }
                    case DEAD -> {
                        q.jobs.remove(j.id);
                        addDead(q, j, o.reason(), now);
                        store(q, o.record(), now);
                    }
                    default -> throw new IllegalStateException();
                }
                out.add(true);
            }
            changed.signalAll();
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(List<Delivery> deliveries) {
        lock.lock();
        try {
            checkOpen();
            Instant now = clock.instant();
            for (Delivery d : deliveries) {
                Queue q = queue(d.queue());
                Job j = owned(q, d);
                if (j == null) {
                    continue;
                }
                j.attempt--;
                j.token = ++tokens;
                if (j.revoked != null) {
                    q.jobs.remove(j.id);
                    store(q, recordOf(j, TaskState.REVOKED, j.revoked, now), now);
                    continue;
                }
                j.where = Where.READY;
                q.ready.add(j);
                TaskRecord prev = liveRecord(q, j.id, now);
                if (prev != null && !prev.state().isFinal()) {
                    q.records.remove(j.id);
                    if (prev.state() == TaskState.RETRY || prev.error() != null) {
                        store(q, prev.withState(TaskState.RETRY, now), now);
                    }
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RevokeResult revoke(String queueName, String id, String reason) {
        lock.lock();
        try {
            checkOpen();
            Instant now = clock.instant();
            Queue q = queue(queueName);
            Job j = q.jobs.get(id);
            if (j == null) {
                TaskRecord r = liveRecord(q, id, now);
                if (r != null && r.state().isFinal() || q.dead.containsKey(id)) {
                    return RevokeResult.ALREADY_FINISHED;
                }
                trimMarkers(q, now);
                q.revokedUnknown.remove(id); // a repeated revoke starts a new retention, at the end of the order
                q.revokedUnknown.put(id, new Marker(reason, now.plus(settings.revokeMarkerTtl())));
                return RevokeResult.NOT_FOUND;
            }
            if (j.where == Where.IN_FLIGHT) {
                j.revoked = reason;
                return RevokeResult.SIGNALLED;
            }
            (j.where == Where.READY ? q.ready : q.delayed).remove(j);
            q.jobs.remove(id);
            store(q, recordOf(j, TaskState.REVOKED, reason, now), now);
            return RevokeResult.REMOVED;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets expired revoke markers, a bounded number per call (as the Redis broker does). */
    private static void trimMarkers(Queue q, Instant now) {
        Iterator<Marker> it = q.revokedUnknown.values().iterator();
        for (int i = 0; i < 100 && it.hasNext(); i++) {
            if (now.isBefore(it.next().expiresAt())) {
                break;
            }
            it.remove();
        }
    }

    /** Revoke markers kept (expired ones included until trimmed), for tests. */
    int revokeMarkers(String queueName) {
        lock.lock();
        try {
            return queue(queueName).revokedUnknown.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        lock.lock();
        try {
            checkOpen();
            Map<String, TaskLocation> out = new LinkedHashMap<>();
            for (String name : registered) {
                locateIn(name, ids, out);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, TaskLocation> locate(String queueName, Collection<String> ids) {
        lock.lock();
        try {
            checkOpen();
            Map<String, TaskLocation> out = new LinkedHashMap<>();
            locateIn(queueName, ids, out);
            return out;
        } finally {
            lock.unlock();
        }
    }

    private void locateIn(String name, Collection<String> ids, Map<String, TaskLocation> out) {
        Queue q = queues.get(name);
        if (q == null) {
            return;
        }
        Instant now = clock.instant();
        for (String id : ids) {
            if (out.containsKey(id)) {
                continue;
            }
            TaskRecord r = liveRecord(q, id, now);
            Job j = q.jobs.get(id);
            DeadLetter d = q.dead.get(id);
            if (j != null) {
                TaskLocation.Place p = switch (j.where) {
                    case READY -> TaskLocation.Place.QUEUED;
                    case DELAYED -> TaskLocation.Place.DELAYED;
                    case IN_FLIGHT -> TaskLocation.Place.RUNNING;
                };
                out.put(id, new TaskLocation(id, name, p, j.task, r));
            } else if (d != null) {
                out.put(id, new TaskLocation(id, name, TaskLocation.Place.DEAD, d.task(), r != null ? r
                        : new TaskRecord(id, name, d.task(), TaskState.FAILURE, null, null, 0, d.attempt(), null,
                        d.deadAt(), d.reason())));
            } else if (r != null) {
                out.put(id, new TaskLocation(id, name, TaskLocation.Place.FINISHED, r.task(), r));
            }
        }
    }

    @Override
    public Set<String> queues() {
        lock.lock();
        try {
            return java.util.Collections.unmodifiableSet(new TreeSet<>(registered));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<TaskRecord> record(String queueName, String id) {
        return get(queueName, id);
    }

    @Override
    public Optional<TaskRecord> get(String queueName, String id) {
        lock.lock();
        try {
            return Optional.ofNullable(liveRecord(queue(queueName), id, clock.instant()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<TaskRecord> awaitFinal(String queueName, String id) {
        lock.lock();
        try {
            TaskRecord r = liveRecord(queue(queueName), id, clock.instant());
            if (r != null && r.state().isFinal()) {
                return CompletableFuture.completedFuture(r);
            }
            CompletableFuture<TaskRecord> f = new CompletableFuture<>();
            String k = key(queueName, id);
            waiters.computeIfAbsent(k, x -> new ArrayList<>()).add(f);
            f.whenComplete((v, e) -> {
                if (f.isCancelled()) {
                    lock.lock();
                    try {
                        List<CompletableFuture<TaskRecord>> ws = waiters.get(k);
                        if (ws != null) {
                            ws.remove(f);
                            if (ws.isEmpty()) {
                                waiters.remove(k);
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            });
            return f;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DeadLetter> deadLetters(String queueName, int limit) {
        lock.lock();
        try {
            List<DeadLetter> all = new ArrayList<>(queue(queueName).dead.values());
            java.util.Collections.reverse(all);
            return List.copyOf(all.subList(0, Math.min(limit, all.size())));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queueName, String id) {
        lock.lock();
        try {
            return Optional.ofNullable(queue(queueName).dead.get(id));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean resubmitDeadLetter(String queueName, String id, String newBody) {
        lock.lock();
        try {
            checkOpen();
            Queue q = queue(queueName);
            DeadLetter d = q.dead.remove(id);
            if (d == null) {
                return false;
            }
            q.records.remove(id);
            int priority = q.deadPriority.getOrDefault(id, 4);
            q.deadPriority.remove(id);
            Job j = new Job(new TaskMessage(id, queueName, d.task() == null ? "?" : d.task(), priority, null, newBody),
                    ++seq);
            j.where = Where.READY;
            q.jobs.put(id, j);
            q.ready.add(j);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long purgeDeadLetters(String queueName) {
        lock.lock();
        try {
            Queue q = queue(queueName);
            long n = q.dead.size();
            q.dead.clear();
            q.deadPriority.clear();
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public QueueStats stats(String queueName) {
        lock.lock();
        try {
            Queue q = queue(queueName);
            reap(q, clock.instant());
            long inFlight = q.jobs.values().stream().filter(j -> j.where == Where.IN_FLIGHT).count();
            return new QueueStats(queueName, q.ready.size(), q.delayed.size(), inFlight, q.dead.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Lease l = leases.get(name);
            if (l == null || !l.until.isAfter(now) || l.owner.equals(owner)) {
                leases.put(name, new Lease(owner, now.plus(ttl)));
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(String name, String owner) {
        lock.lock();
        try {
            Lease l = leases.get(name);
            if (l != null && l.owner.equals(owner)) {
                leases.remove(name);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> holder(String name) {
        lock.lock();
        try {
            Lease l = leases.get(name);
            return l == null || !l.until.isAfter(clock.instant()) ? Optional.empty() : Optional.of(l.owner);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            waiters.values().forEach(ws -> ws.forEach(f -> f.cancel(false)));
            waiters.clear();
        } finally {
            lock.unlock();
        }
    }
}
