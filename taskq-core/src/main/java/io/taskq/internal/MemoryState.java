package io.taskq.internal;

import io.taskq.DeadLetter;
import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.spi.Delivery;
import io.taskq.Uniqueness;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of the in-memory broker, shared by its parts ({@link InMemoryBroker} for the hot path,
 * {@link InMemoryAdmin}, {@link InMemoryResults}), with the steps they have in common: storing records (which
 * completes result waits), dead-lettering, promoting due tasks and reaping expired leases. One lock guards all of
 * it; every method here expects the caller to hold it.
 */
final class MemoryState {
    /** Records are kept 24 h after their last change, as the Redis broker's default. */
    static final Duration RESULT_TTL = Duration.ofHours(24);
    /** Leases a task may lose after it started before it is dead-lettered. */
    static final int MAX_REDELIVERIES = 5;
    /** Dead letters kept per queue (the oldest go first) and for how long. */
    static final int DEAD_MAX_COUNT = 10_000;
    static final Duration DEAD_MAX_AGE = Duration.ofDays(30);
    /** How long a revoke of an unknown id is remembered. */
    static final Duration REVOKE_MARKER_TTL = Duration.ofHours(24);

    enum Where { READY, DELAYED, IN_FLIGHT }

    /** A task in a queue. */
    static final class Job {
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
        /** The limits its message carries (docs/limits.md), or null (also once a broker marked its end). */
        LimitSpec limits;
        /** Why its limits header cannot be read (its claim dead-letters it), or null (also once marked). */
        String limitsFault;
        /** Its message's root and parent ids, copied into its records. */
        final Lineage lineage;

        Job(TaskMessage m, long seq) {
            this.id = m.id();
            this.queue = m.queue();
            this.task = m.task();
            this.priority = m.priority();
            this.body = m.body();
            this.seq = seq;
            LimitSpec spec = null;
            String fault = null;
            try {
                spec = LimitSpec.ofBody(m.body());
            } catch (IllegalArgumentException e) {
                fault = e.getMessage();
            }
            this.limits = spec;
            this.limitsFault = fault;
            this.lineage = Lineage.ofMessage(m.body());
        }
    }

    /** One queue's tasks, records, dead letters and revoke markers. */
    static final class Queue {
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
        final MemoryLimits.QueueState limitState = new MemoryLimits.QueueState();
        /**
         * Uniqueness keys and the tasks that took them (docs/limits.md#unique-tasks), in the order they were last
         * checked (trimUniques).
         */
        final LinkedHashMap<String, UniqueHold> uniques = new LinkedHashMap<>();
    }

    /** A uniqueness key's holder: its id, the mode it took the key with, and the end of a window. */
    record UniqueHold(String id, Uniqueness.Mode mode, Instant until) {
    }

    record Marker(String reason, Instant expiresAt) {
    }

    record Stored(TaskRecord record, Instant expiresAt) {
    }

    final Clock clock;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final Map<String, Queue> queues = new HashMap<>();
    /** The queues enqueued to or claimed from (QueueAdmin.queues()); queues above also holds names only asked about. */
    final Set<String> registered = new TreeSet<>();
    final Map<String, List<CompletableFuture<TaskRecord>>> waiters = new HashMap<>();
    final MemoryLimits limits = new MemoryLimits();
    long seq;
    long tokens;
    volatile boolean closed;

    MemoryState(Clock clock) {
        this.clock = clock;
    }

    Queue queue(String name) {
        return queues.computeIfAbsent(name, n -> new Queue());
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
    }

    /**
     * Enqueues one message (the caller signals {@link #changed}): false if its id is known, a REVOKED record if it
     * was revoked before it arrived.
     */
    boolean enqueue(TaskMessage m, Instant now) {
        registered.add(m.queue());
        Queue q = queue(m.queue());
        if (q.jobs.containsKey(m.id()) || liveRecord(q, m.id(), now) != null || q.dead.containsKey(m.id())) {
            return false;
        }
        Marker marker = q.revokedUnknown.remove(m.id());
        if (marker != null && now.isBefore(marker.expiresAt())) {
            Job member = new Job(m, ++seq);
            if (endAtWorker(q, member, TaskState.REVOKED, marker.reason())) {
                q.jobs.put(member.id, member); // a chord member: a worker ends it and it joins its chord
                return true;
            }
            Lineage l = member.lineage;
            store(q, new TaskRecord(m.id(), m.queue(), m.task(), TaskState.REVOKED, null, null, 0, 0, null, now,
                    marker.reason(), null, l.rootId(), l.parentId()), now);
            return true;
        }
        Job j = new Job(m, ++seq);
        if (j.limits != null && j.limits.unique() != null && !takeUnique(q, j, now)) {
            return false;
        }
        q.jobs.put(j.id, j);
        if (m.eta() != null && m.eta().isAfter(now)) {
            j.where = Where.DELAYED;
            j.due = m.eta();
            q.delayed.add(j);
        } else {
            j.where = Where.READY;
            q.ready.add(j);
        }
        return true;
    }

    /** How many other uniqueness keys each key taken checks. */
    private static final int UNIQUE_SAMPLE = 8;

    /** Takes the job's uniqueness key unless a live task holds it: false if one does (a duplicate). */
    private boolean takeUnique(Queue q, Job j, Instant now) {
        LimitSpec.Unique u = j.limits.unique();
        UniqueHold h = q.uniques.get(u.key());
        if (h != null && !h.id().equals(j.id) && holds(q, h, now)) {
            return false;
        }
        q.uniques.put(u.key(), new UniqueHold(j.id, u.mode(), now.plusMillis(u.windowMs())));
        trimUniques(q, u.key(), now);
        return true;
    }

    /**
     * As the Redis enqueue does (trim_uniques in enqueue.lua): each key taken checks a few others, the longest
     * unchecked first, deletes those that no longer hold and puts the others last, so that keys that never repeat do
     * not pile up.
     */
    private void trimUniques(Queue q, String taken, Instant now) {
        List<Map.Entry<String, UniqueHold>> still = new ArrayList<>();
        Iterator<Map.Entry<String, UniqueHold>> it = q.uniques.entrySet().iterator();
        for (int i = 0; i < UNIQUE_SAMPLE && it.hasNext(); i++) {
            Map.Entry<String, UniqueHold> e = it.next();
            if (!e.getKey().equals(taken)) {
                it.remove();
                if (holds(q, e.getValue(), now)) {
                    still.add(e);
                }
            }
        }
        still.forEach(e -> q.uniques.put(e.getKey(), e.getValue()));
    }

    /** Whether a holder still holds its key: the lock ends with the state its mode names (checked, never released). */
    boolean holds(Queue q, UniqueHold h, Instant now) {
        Job held = q.jobs.get(h.id());
        return switch (h.mode()) {
            case WINDOW -> now.isBefore(h.until());
            case UNTIL_FINISHED -> held != null;
            case WHILE_QUEUED -> held != null && held.where != Where.IN_FLIGHT;
            case UNTIL_STARTED -> held != null && (held.where != Where.IN_FLIGHT || !held.started);
        };
    }

    TaskRecord liveRecord(Queue q, String id, Instant now) {
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

    TaskError previousError(Queue q, String id, Instant now) {
        TaskRecord r = liveRecord(q, id, now);
        return r == null ? null : r.error();
    }

    int retriesOf(Queue q, String id, Instant now) {
        TaskRecord r = liveRecord(q, id, now);
        return r == null ? 0 : r.retries();
    }

    /**
     * Pops the first ready job that its limits let start now; a limited job that must wait goes to delayed until
     * its limits allow, so that the jobs behind it are not held up. Null if none is left.
     */
    Job popAdmitted(Queue q, Instant now) {
        while (!q.ready.isEmpty()) {
            Job j = q.ready.pollFirst();
            if (j.limitsFault != null) {
                // as the Redis claim does (limits_fault in lib-claim.lua): never run it unlimited
                q.jobs.remove(j.id);
                addDead(q, j, j.limitsFault, now);
                store(q, new TaskRecord(j.id, j.queue, j.task, TaskState.FAILURE, null,
                        new TaskError("taskq.MalformedEntry", j.limitsFault, ""), 0, j.attempt, null, now,
                        j.limitsFault, null, j.lineage.rootId(), j.lineage.parentId()), now);
                continue;
            }
            if (j.limits == null) {
                return j;
            }
            Instant later = limits.admit(q.limitState, j.id, j.limits, now, id -> {
                Job h = q.jobs.get(id);
                return h != null && h.where == Where.IN_FLIGHT && h.leaseUntil.isAfter(now);
            });
            if (later == null) {
                return j;
            }
            j.where = Where.DELAYED;
            j.due = later;
            q.delayed.add(j);
        }
        return null;
    }

    void promote(Queue q, Instant now) {
        while (!q.delayed.isEmpty() && !q.delayed.first().due.isAfter(now)) {
            Job j = q.delayed.pollFirst();
            j.where = Where.READY;
            j.due = null;
            q.ready.add(j);
        }
    }

    /** Takes back tasks whose worker stopped renewing: ready again, or dead after too many losses. */
    void reap(Queue q, Instant now) {
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
                if (!endAtWorker(q, j, TaskState.REVOKED, j.revoked)) {
                    q.jobs.remove(j.id);
                    store(q, recordOf(j, TaskState.REVOKED, j.revoked, now), now);
                }
            } else if (j.lost > MAX_REDELIVERIES || j.heldLost > heldLossLimit()) {
                String reason = j.lost > MAX_REDELIVERIES
                        ? "lease expired " + j.lost + " times: the worker died or stalled every time (poison task?)"
                        : "lease expired " + j.heldLost + " times before the task started: its workers died or"
                        + " stalled while they held it";
                if (endAtWorker(q, j, TaskState.FAILURE, reason)) {
                    continue;
                }
                q.jobs.remove(j.id);
                addDead(q, j, reason, now);
                store(q, new TaskRecord(j.id, j.queue, j.task, TaskState.FAILURE, null,
                        new TaskError("taskq.WorkerLost", reason, ""), retriesOf(q, j.id, now), j.attempt,
                        j.consumer, now, reason, null, j.lineage.rootId(), j.lineage.parentId()), now);
            } else {
                j.where = Where.READY;
                q.ready.add(j);
            }
        }
    }

    /**
     * A chord member that the broker would end without a worker (revoked, or dead after lost leases) stays queued
     * instead, ready, its message marked with the end ({@link BrokerEnd}), so that the worker that takes it ends it
     * and joins its chord (docs/workflows.md#members-the-broker-ends). False, changing nothing, for any other task.
     */
    boolean endAtWorker(Queue q, Job j, TaskState state, String reason) {
        String marked = new BrokerEnd(state, reason == null ? "" : reason).mark(j.body);
        if (marked == null) {
            return false;
        }
        j.body = marked;
        j.limits = null; // it runs nothing: nothing to hold it back for (on Redis the mark comes before the limits)
        j.limitsFault = null;
        j.revoked = null;
        if (j.where == Where.DELAYED) {
            q.delayed.remove(j);
            j.due = null;
        }
        j.where = Where.READY;
        q.ready.add(j);
        return true;
    }

    /**
     * How many leases a task may lose before it started: other tasks' crashes, so more than maxRedeliveries, but
     * bounded, so that a task whose workers always die before starting it does not circle for ever.
     */
    private static int heldLossLimit() {
        return Math.max(10, 3 * MAX_REDELIVERIES);
    }

    TaskRecord recordOf(Job j, TaskState state, String reason, Instant now) {
        return new TaskRecord(j.id, j.queue, j.task, state, null, null, 0, j.attempt, j.consumer, now, reason, null,
                j.lineage.rootId(), j.lineage.parentId());
    }

    /** Stores a record; a final one completes the result waits of its task. */
    void store(Queue q, TaskRecord r, Instant now) {
        q.records.put(r.id(), new Stored(r, now.plus(RESULT_TTL)));
        if (r.state().isFinal()) {
            List<CompletableFuture<TaskRecord>> ws = waiters.remove(key(r.queue(), r.id()));
            if (ws != null) {
                ws.forEach(f -> f.complete(r));
            }
        }
    }

    void addDead(Queue q, Job j, String reason, Instant now) {
        q.dead.put(j.id, new DeadLetter(j.id, j.queue, j.task, reason, now, j.attempt, j.body));
        q.deadPriority.put(j.id, j.priority);
        Instant oldest = now.minus(DEAD_MAX_AGE);
        Iterator<DeadLetter> it = q.dead.values().iterator();
        while (it.hasNext()) {
            DeadLetter d = it.next();
            if (q.dead.size() > DEAD_MAX_COUNT || d.deadAt().isBefore(oldest)) {
                it.remove();
                q.deadPriority.remove(d.id());
            } else {
                break;
            }
        }
    }

    /** A dead letter's record, or one made from the dead letter once its record expired. */
    TaskRecord deadRecord(Queue q, DeadLetter d, Instant now) {
        TaskRecord r = liveRecord(q, d.id(), now);
        Lineage l = r != null ? null : Lineage.ofMessage(d.body());
        return r != null ? r : new TaskRecord(d.id(), d.queue(), d.task(), TaskState.FAILURE, null, null, 0,
                d.attempt(), null, d.deadAt(), d.reason(), null, l.rootId(), l.parentId());
    }

    static String key(String queue, String id) {
        return queue + "\u0000" + id;
    }

    /** The job a delivery still holds (its token current), or null. */
    Job owned(Queue q, Delivery d) {
        Job j = q.jobs.get(d.id());
        return j != null && j.where == Where.IN_FLIGHT && j.token == d.token() ? j : null;
    }

    /** Forgets expired revoke markers, a bounded number per call (as the Redis broker does). */
    static void trimMarkers(Queue q, Instant now) {
        Iterator<Marker> it = q.revokedUnknown.values().iterator();
        for (int i = 0; i < 100 && it.hasNext(); i++) {
            if (now.isBefore(it.next().expiresAt())) {
                break;
            }
            it.remove();
        }
    }
}
