package io.taskq.internal;

import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.QueueStats;
import io.taskq.TaskState;
import io.taskq.internal.MemoryState.Job;
import io.taskq.internal.MemoryState.Marker;
import io.taskq.internal.MemoryState.Queue;
import io.taskq.internal.MemoryState.Where;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Leases;
import io.taskq.spi.LimitStore;
import io.taskq.spi.MemoryBroker;
import io.taskq.spi.Outcome;
import io.taskq.spi.ControlBus;
import io.taskq.spi.EventLog;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The embedded broker, queue administration, result backend and lease store: everything in this JVM's memory, with
 * the same semantics as the Redis broker (delays, priorities, leases, fencing, revoke, dead letters), for demos and
 * tests. State is lost when the JVM exits. Settings are the Redis broker's defaults (records kept 24 h, 5 lost
 * leases, 10,000 dead letters for 30 days, revokes of unknown ids remembered 24 h).
 *
 * <p>This class holds the hot path ({@link Broker}); the administration ({@link InMemoryAdmin}), the results
 * ({@link InMemoryResults}) and the leases ({@link InMemoryLeases}) are parts of their own, on the same state
 * ({@link MemoryState}) under one lock.
 */
public final class InMemoryBroker implements MemoryBroker {
    private final MemoryState s;
    private final InMemoryAdmin admin;
    private final InMemoryResults results;
    private final InMemoryLeases leases;
    private final InMemoryEventLog events = new InMemoryEventLog(EVENTS_KEPT);
    private final InMemoryWorkerRegistry workers;
    private final InMemoryControlBus control = new InMemoryControlBus();
    private final InMemoryChords chords = new InMemoryChords();

    /** How many events the in-memory stream keeps (the Redis default too). */
    static final int EVENTS_KEPT = 10_000;

    /** A broker with default settings on the given clock. */
    public InMemoryBroker(Clock clock) {
        this.s = new MemoryState(clock);
        this.admin = new InMemoryAdmin(s);
        this.results = new InMemoryResults(s);
        this.leases = new InMemoryLeases(clock);
        this.workers = new InMemoryWorkerRegistry(clock);
    }

    // ------------------------------------------------------------------------------------------ Broker

    @Override
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        s.lock.lock();
        try {
            s.checkOpen();
            Instant now = s.clock.instant();
            List<Boolean> out = new ArrayList<>(messages.size());
            for (TaskMessage m : messages) {
                out.add(s.enqueue(m, now));
            }
            s.changed.signalAll();
            return out;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + request.maxWait().toNanos();
        s.lock.lockInterruptibly();
        try {
            while (true) {
                s.checkOpen();
                Instant now = s.clock.instant();
                List<Delivery> out = new ArrayList<>();
                Instant nextDue = null;
                for (String name : request.queues()) {
                    s.registered.add(name);
                    Queue q = s.queue(name);
                    s.reap(q, now);
                    s.promote(q, now);
                    Job j;
                    while (out.size() < request.max() && (j = s.popAdmitted(q, now)) != null) {
                        out.add(lease(q, j, request, out.size() < request.startNow(), now));
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
                s.changed.awaitNanos(wait);
            }
        } finally {
            s.lock.unlock();
        }
    }

    /** Leases a job popped from ready to the consumer and records it RECEIVED. */
    private Delivery lease(Queue q, Job j, ClaimRequest request, boolean started, Instant now) {
        j.where = Where.IN_FLIGHT;
        j.attempt++;
        j.token = ++s.tokens;
        j.consumer = request.consumerId();
        j.leaseUntil = now.plus(request.lease());
        j.started = started;
        s.store(q, new TaskRecord(j.id, j.queue, j.task, TaskState.RECEIVED, null, s.previousError(q, j.id, now),
                s.retriesOf(q, j.id, now), j.attempt, j.consumer, now, null, null, j.lineage.rootId(),
                j.lineage.parentId()), now);
        return new Delivery(j.id, j.queue, j.task, j.priority, j.body, j.attempt, j.token);
    }

    @Override
    public void markStarted(List<Delivery> deliveries, Instant at) {
        s.lock.lock();
        try {
            s.checkOpen();
            for (Delivery d : deliveries) {
                Queue q = s.queue(d.queue());
                Job j = s.owned(q, d);
                if (j != null) {
                    j.started = true;
                    TaskRecord prev = s.liveRecord(q, d.id(), at);
                    s.store(q, new TaskRecord(j.id, j.queue, j.task, TaskState.STARTED, null,
                            prev == null ? null : prev.error(), prev == null ? 0 : prev.retries(), j.attempt,
                            j.consumer, at, null,
                            prev != null && prev.state() == TaskState.STARTED ? prev.progress() : null,
                            j.lineage.rootId(), j.lineage.parentId()), at);
                }
            }
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public boolean reportProgress(Delivery d, String progressJson, Instant at) {
        s.lock.lock();
        try {
            s.checkOpen();
            Queue q = s.queue(d.queue());
            Job j = s.owned(q, d);
            TaskRecord r = j == null ? null : s.liveRecord(q, d.id(), at);
            if (r == null || (r.state() != TaskState.STARTED && r.state() != TaskState.RECEIVED)) {
                return false;
            }
            // A report may come before the batched start mark: it says that the task started.
            j.started = true;
            s.store(q, r.withState(TaskState.STARTED, at).withProgress(progressJson, at), at);
            return true;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        s.lock.lock();
        try {
            s.checkOpen();
            Instant now = s.clock.instant();
            Set<String> lost = new HashSet<>();
            Set<String> revoked = new HashSet<>();
            for (Delivery d : deliveries) {
                Job j = s.owned(s.queue(d.queue()), d);
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
            s.lock.unlock();
        }
    }

    /**
     * The three steps one after the other: start reports (dropped if they fail: informational), the outcomes under
     * the lock, then a claim without waiting (a failure leaves the outcomes standing and claims nothing).
     */
    @Override
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        if (!started.isEmpty()) {
            try {
                markStarted(started, startedAt);
            } catch (RuntimeException e) {
                // informational: the outcome (or a later report) supersedes it
            }
        }
        List<Boolean> accepted = outcomes.isEmpty() ? List.of() : finish(outcomes);
        List<Delivery> claimed = List.of();
        if (next != null) {
            try {
                claimed = claim(new ClaimRequest(next.consumerId(), next.queues(), next.max(), next.lease(),
                        Duration.ZERO, next.startNow()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the outcomes stand; the caller's regular claim loop retries and reports the failure
            }
        }
        return new FinishAndClaim(accepted, claimed);
    }

    private List<Boolean> finish(List<Outcome> outcomes) {
        s.lock.lock();
        try {
            s.checkOpen();
            Instant now = s.clock.instant();
            List<Boolean> out = new ArrayList<>(outcomes.size());
            List<TaskMessage> followUps = new ArrayList<>();
            for (Outcome o : outcomes) {
                Queue q = s.queue(o.delivery().queue());
                Job j = s.owned(q, o.delivery());
                if (j == null || !j.leaseUntil.isAfter(now)) {
                    out.add(false);
                    continue;
                }
                apply(q, j, o, now);
                if (o.chordJoin() != null) {
                    chords.join(s, o.chordJoin(), now);
                }
                followUps.addAll(o.followUps());
                out.add(true);
            }
            // Under the same lock as the outcomes (atomic with them), after all of them, as the Redis script does.
            for (TaskMessage m : followUps) {
                s.enqueue(m, now);
            }
            s.changed.signalAll();
            return out;
        } finally {
            s.lock.unlock();
        }
    }

    /** An accepted outcome's effects on its job and record. */
    private void apply(Queue q, Job j, Outcome o, Instant now) {
        switch (o.kind()) {
            case DONE -> {
                q.jobs.remove(j.id);
                if (o.record() != null) {
                    s.store(q, o.record(), now);
                } else {
                    q.records.remove(j.id);
                }
            }
            case RETRY -> {
                j.body = o.newBody();
                j.where = Where.DELAYED;
                j.due = o.retryAt();
                j.token = ++s.tokens;
                q.delayed.add(j);
                s.store(q, o.record(), now);
            }
            case DEAD -> {
                q.jobs.remove(j.id);
                s.addDead(q, j, o.reason(), now);
                s.store(q, o.record(), now);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Chords run here: their joins are applied with the outcomes, under the same lock. */
    @Override
    public java.util.Optional<String> chordRefusal() {
        return java.util.Optional.empty();
    }

    @Override
    public void release(List<Delivery> deliveries) {
        s.lock.lock();
        try {
            s.checkOpen();
            Instant now = s.clock.instant();
            for (Delivery d : deliveries) {
                Queue q = s.queue(d.queue());
                Job j = s.owned(q, d);
                if (j == null) {
                    continue;
                }
                j.attempt--;
                j.token = ++s.tokens;
                if (j.revoked != null && !s.endAtWorker(q, j, TaskState.REVOKED, j.revoked)) {
                    q.jobs.remove(j.id);
                    s.store(q, s.recordOf(j, TaskState.REVOKED, j.revoked, now), now);
                    continue;
                }
                j.where = Where.READY;
                q.ready.add(j);
                TaskRecord prev = s.liveRecord(q, j.id, now);
                if (prev != null && !prev.state().isFinal()) {
                    q.records.remove(j.id);
                    if (prev.state() == TaskState.RETRY || prev.error() != null) {
                        s.store(q, prev.withState(TaskState.RETRY, now), now);
                    }
                }
            }
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public RevokeResult revoke(String queueName, String id, String reason) {
        s.lock.lock();
        try {
            s.checkOpen();
            Instant now = s.clock.instant();
            Queue q = s.queue(queueName);
            Job j = q.jobs.get(id);
            if (j == null) {
                TaskRecord r = s.liveRecord(q, id, now);
                if (r != null && r.state().isFinal() || q.dead.containsKey(id)) {
                    return RevokeResult.ALREADY_FINISHED;
                }
                MemoryState.trimMarkers(q, now);
                q.revokedUnknown.remove(id); // a repeated revoke starts a new retention, at the end of the order
                q.revokedUnknown.put(id, new Marker(reason, now.plus(MemoryState.REVOKE_MARKER_TTL)));
                return RevokeResult.NOT_FOUND;
            }
            if (j.where == Where.IN_FLIGHT) {
                j.revoked = reason;
                return RevokeResult.SIGNALLED;
            }
            if (s.endAtWorker(q, j, TaskState.REVOKED, reason)) {
                s.changed.signalAll();
                return RevokeResult.SIGNALLED; // a chord member: ended by the worker that takes it
            }
            (j.where == Where.READY ? q.ready : q.delayed).remove(j);
            q.jobs.remove(id);
            s.store(q, s.recordOf(j, TaskState.REVOKED, reason, now), now);
            return RevokeResult.REMOVED;
        } finally {
            s.lock.unlock();
        }
    }

    /** Uniqueness keys kept (those that no longer hold included until trimmed), for tests. */
    int uniqueKeys(String queueName) {
        s.lock.lock();
        try {
            return s.queue(queueName).uniques.size();
        } finally {
            s.lock.unlock();
        }
    }

    /** Revoke markers kept (expired ones included until trimmed), for tests. */
    int revokeMarkers(String queueName) {
        s.lock.lock();
        try {
            return s.queue(queueName).revokedUnknown.size();
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        s.lock.lock();
        try {
            s.checkOpen();
            Map<String, TaskLocation> out = new LinkedHashMap<>();
            for (String name : s.registered) {
                locateIn(name, ids, out);
            }
            return out;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public Map<String, TaskLocation> locate(String queueName, Collection<String> ids) {
        s.lock.lock();
        try {
            s.checkOpen();
            Map<String, TaskLocation> out = new LinkedHashMap<>();
            locateIn(queueName, ids, out);
            return out;
        } finally {
            s.lock.unlock();
        }
    }

    private void locateIn(String name, Collection<String> ids, Map<String, TaskLocation> out) {
        Queue q = s.queues.get(name);
        if (q == null) {
            return;
        }
        Instant now = s.clock.instant();
        for (String id : ids) {
            if (out.containsKey(id)) {
                continue;
            }
            TaskRecord r = s.liveRecord(q, id, now);
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
                out.put(id, new TaskLocation(id, name, TaskLocation.Place.DEAD, d.task(), s.deadRecord(q, d, now)));
            } else if (r != null) {
                out.put(id, new TaskLocation(id, name, TaskLocation.Place.FINISHED, r.task(), r));
            }
        }
    }

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

    @Override
    public Optional<String> uniqueHolder(String queue, String key) {
        s.lock.lock();
        try {
            Queue q = s.queues.get(queue);
            MemoryState.UniqueHold h = q == null ? null : q.uniques.get(key);
            return h != null && s.holds(q, h, s.clock.instant()) ? Optional.of(h.id()) : Optional.empty();
        } finally {
            s.lock.unlock();
        }
    }

    /** The limits' run-time values, kept with the broker's other state. */
    @Override
    public Optional<LimitStore> limitStore() {
        return Optional.of(s.limits);
    }

    /** This broker: it offers named leases. */
    @Override
    public Optional<Leases> leases() {
        return Optional.of(this);
    }

    /** The newest 10,000 events of this broker's applications. */
    @Override
    public Optional<EventLog> eventLog() {
        return Optional.of(events);
    }

    /** The workers of this JVM that use this broker. */
    @Override
    public Optional<WorkerRegistry> workerRegistry() {
        return Optional.of(workers);
    }

    /** The taskqs of this JVM that use this broker. */
    @Override
    public Optional<ControlBus> controlBus() {
        return Optional.of(control);
    }

    @Override
    public void close() {
        control.close();
        s.lock.lock();
        try {
            s.closed = true;
            s.changed.signalAll();
            results.cancelAll();
        } finally {
            s.lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ the other parts

    @Override
    public Set<String> queues() {
        return admin.queues();
    }

    @Override
    public QueueStats stats(String queue) {
        return admin.stats(queue);
    }

    @Override
    public TaskPage tasks(String queue, TaskLocation.Place place, TaskPage.Order order, int limit, String cursor) {
        return admin.tasks(queue, place, order, limit, cursor);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        return admin.deadLetters(queue, limit);
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        return admin.deadLetter(queue, id);
    }

    @Override
    public boolean resubmitDeadLetter(String queue, String id, String newBody) {
        return admin.resubmitDeadLetter(queue, id, newBody);
    }

    @Override
    public long purgeDeadLetters(String queue) {
        return admin.purgeDeadLetters(queue);
    }

    @Override
    public boolean deleteDeadLetter(String queue, String id) {
        return admin.deleteDeadLetter(queue, id);
    }

    @Override
    public Optional<String> messageBody(String queue, String id) {
        return admin.messageBody(queue, id);
    }

    @Override
    public long purge(String queue) {
        return admin.purge(queue);
    }

    @Override
    public DeadLetterPage findDeadLetters(String queue, DeadLetterFilter filter, int limit, String cursor) {
        return admin.findDeadLetters(queue, filter, limit, cursor);
    }

    @Override
    public long deleteDeadLetters(String queue, DeadLetterFilter filter, long limit) {
        return admin.deleteDeadLetters(queue, filter, limit);
    }

    @Override
    public Optional<TaskRecord> get(String queue, String id) {
        return results.get(queue, id);
    }

    @Override
    public CompletableFuture<TaskRecord> awaitFinal(String queue, String id) {
        return results.awaitFinal(queue, id);
    }

    @Override
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        return leases.tryAcquire(name, owner, ttl);
    }

    @Override
    public void release(String name, String owner) {
        leases.release(name, owner);
    }

    @Override
    public Optional<String> holder(String name) {
        return leases.holder(name);
    }
}
