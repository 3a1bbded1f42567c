package io.taskq.scheduler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.internal.Json;
import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.OverlapPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.SchedulerListener;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.EntryCodec.State;
import io.taskq.spi.Leases;
import io.taskq.spi.ScheduleAuditRecord;
import io.taskq.spi.ScheduleRecord;
import io.taskq.spi.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's engine: the edit operations (compare-and-set loops over the {@link ScheduleStore}) and the loop
 * thread that holds or waits for the lease and, while leader, publishes due runs.
 *
 * <p>Exactly-once publishing rests on three things. Each scheduled run has a deterministic task id
 * ({@code sched:<entry>:<epoch millis>}) and the broker enqueues an id once. The leader publishes first and then
 * saves the entry's new state with compare-and-set, so a crash in between makes the next leader publish the same
 * ids again (harmless) rather than lose the run. And a leader that lost its lease while paused fails the
 * compare-and-set, re-reads, and finds the runs already done.
 */
public final class SchedulerEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerEngine.class);

    /** Header naming the entry on each published run (the name django-celery-beat uses). */
    public static final String HEADER_ENTRY = "periodic_task_name";
    /** Header carrying the scheduled instant of a run (ISO-8601), absent for runs started by hand. */
    public static final String HEADER_SCHEDULED_AT = "scheduled_at";

    private static final int MAX_RUNS_PER_FIRE = 1_000;
    private static final int MAX_CAS_ATTEMPTS = 50;
    private static final long MIN_WAIT_MILLIS = 20;

    /** Settings, validated by the public builder. */
    public record Settings(Taskq taskq, ScheduleStore store, boolean ownsStore, Leases leases, Clock clock,
                           String instanceId, String leaseName, Duration leaseTtl, Duration maxSleep,
                           Duration misfireGrace, Duration overlapLookback, List<PeriodicTask> declared,
                           List<SchedulerListener> listeners, boolean allowUnregisteredTasks) {
    }

    private record Cached(long version, Entry entry) {
    }

    private final Settings s;
    /** The code declarations, their arguments encoded with the taskq's mapper. */
    private final List<PeriodicTask> declared;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Long> undecodable = new ConcurrentHashMap<>();
    private boolean wakeRequested;
    private volatile boolean closed;
    private volatile boolean leader;
    private boolean started;
    private long seenChanges = -1;
    private Thread thread;
    private ScheduleStore.Subscription subscription;

    /**
     * An engine; nothing runs until {@link #start()}.
     *
     * @throws IllegalStateException if a declaration names a task the taskq does not register (unless allowed)
     */
    public SchedulerEngine(Settings settings) {
        this.s = settings;
        this.declared = settings.declared().stream().map(this::encodedArgs).toList();
        for (PeriodicTask d : declared) {
            String problem = unregisteredTask(d);
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
        }
    }

    /**
     * Why an entry may not be defined through this instance, or null: its task is not registered here. Such an
     * entry would publish runs that no worker of this application runs, typically because of a typo in the task
     * name, and they would wait in their queue for ever.
     */
    private String unregisteredTask(PeriodicTask d) {
        if (s.allowUnregisteredTasks()) {
            return null;
        }
        Set<String> names = s.taskq().taskNames();
        if (names.contains(d.task())) {
            return null;
        }
        List<String> known = names.stream().sorted().limit(20).toList();
        return "periodic task '" + d.name() + "' names task '" + d.task() + "', which this application does not "
                + "register (registered: " + (known.isEmpty() ? "none" : String.join(", ", known))
                + (names.size() > known.size() ? ", ..." : "") + "). Register it with Taskq.builder().tasks(...), "
                + "or, if other applications' workers run it, build the scheduler with "
                + "Scheduler.builder().allowUnregisteredTasks(true)";
    }

    /** The entry with arguments given as Java values encoded by the taskq's mapper, as a submit encodes them. */
    private PeriodicTask encodedArgs(PeriodicTask d) {
        return d.withArgsEncodedBy(s.taskq().objectMapper());
    }

    private void requireRegisteredTask(PeriodicTask d) {
        String problem = unregisteredTask(d);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** Applies the code declarations, then starts the loop thread. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("scheduler is closed");
        }
        if (started) {
            throw new IllegalStateException("scheduler already started");
        }
        started = true;
        for (PeriodicTask d : declared) {
            declare(d);
        }
        subscription = s.store().subscribe(this::wakeUp);
        thread = new Thread(this::loop, "taskq-scheduler-" + s.instanceId());
        thread.setDaemon(true);
        thread.start();
        log.info("scheduler {} started ({} declared entries, lease '{}' for {})", s.instanceId(),
                s.declared().size(), s.leaseName(), s.leaseTtl());
    }

    /** Stops the loop, then gives the lease up so that another instance takes over at once. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        wakeUp();
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (subscription != null) {
            subscription.close();
        }
        // Only after the loop stopped: a release followed by one more publish would let two leaders overlap.
        if (started) {
            try {
                s.leases().release(s.leaseName(), s.instanceId());
            } catch (RuntimeException e) {
                log.warn("could not release scheduler lease; another instance takes over when it expires", e);
            }
        }
        leader = false;
        if (s.ownsStore()) {
            s.store().close();
        }
        log.info("scheduler {} closed", s.instanceId());
    }

    /** Whether this instance held the lease at its last check. */
    public boolean isLeader() {
        return leader;
    }

    private void wakeUp() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ loop

    /** Calls every listener; one that throws is logged and skipped, the scheduler goes on. */
    private void tell(Consumer<SchedulerListener> event) {
        for (SchedulerListener l : s.listeners()) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.warn("scheduler listener {} failed", l, e);
            }
        }
    }

    private void loop() {
        while (!closed) {
            long waitMillis;
            try {
                waitMillis = iteration();
            } catch (RuntimeException e) {
                // A store or broker outage: try again after the normal bound, without spinning.
                waitMillis = s.maxSleep().toMillis();
                log.warn("scheduler {}: iteration failed, retrying in {} ms", s.instanceId(), waitMillis, e);
                tell(l -> l.iterationFailed(e));
            }
            await(waitMillis);
        }
    }

    private void await(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!wakeRequested && !closed && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** One pass: renew or take the lease, reload on change, publish what is due; returns how long to sleep. */
    private long iteration() {
        boolean nowLeader = s.leases().tryAcquire(s.leaseName(), s.instanceId(), s.leaseTtl());
        boolean reload = false;
        if (nowLeader != leader) {
            if (nowLeader) {
                log.info("scheduler {} is now the leader", s.instanceId());
                // A new leader trusts nothing it cached as a follower.
                reload = true;
            } else {
                log.warn("scheduler {} lost the lease; another instance leads now", s.instanceId());
            }
            leader = nowLeader;
            tell(l -> l.leadershipChanged(s.instanceId(), nowLeader));
        }
        long changes = s.store().changeCount();
        if (reload || changes != seenChanges) {
            // Read the count before the entries: a change in between is seen again next time, never missed.
            seenChanges = changes;
            reload();
        }
        if (closed) {
            return 0;
        }
        if (nowLeader) {
            Instant now = s.clock().instant();
            List<String> due = new ArrayList<>();
            for (Map.Entry<String, Cached> e : cache.entrySet()) {
                if (isDue(e.getValue().entry(), now)) {
                    due.add(e.getKey());
                }
            }
            for (String name : due) {
                if (closed) {
                    break;
                }
                fire(name, now);
            }
        }
        return waitMillis(nowLeader);
    }

    private long waitMillis(boolean nowLeader) {
        long bound = Math.min(s.maxSleep().toMillis(), Math.max(1, s.leaseTtl().toMillis() / 3));
        if (!nowLeader) {
            return bound;
        }
        Instant nextDue = cache.values().stream()
                .map(Cached::entry)
                .filter(e -> e.definition().enabled() && e.state().nextRunAt() != null)
                .map(e -> e.state().nextRunAt())
                .min(Comparator.naturalOrder())
                .orElse(null);
        if (nextDue == null) {
            return bound;
        }
        long nanos = Duration.between(s.clock().instant(), nextDue).toNanos();
        // Round up: waking a fraction of a millisecond early would find nothing due and sleep again.
        long millis = nanos <= 0 ? MIN_WAIT_MILLIS : (nanos + 999_999) / 1_000_000;
        return Math.min(bound, millis);
    }

    private static boolean isDue(Entry e, Instant now) {
        return e.definition().enabled() && e.state().nextRunAt() != null && !e.state().nextRunAt().isAfter(now);
    }

    private void reload() {
        Map<String, Cached> fresh = new HashMap<>();
        for (ScheduleRecord r : s.store().entries()) {
            decode(r).ifPresent(e -> fresh.put(r.name(), new Cached(r.version(), e)));
        }
        cache.keySet().retainAll(fresh.keySet());
        cache.putAll(fresh);
    }

    private Optional<Entry> decode(ScheduleRecord r) {
        try {
            Entry e = EntryCodec.decode(r.json());
            undecodable.remove(r.name());
            return Optional.of(e);
        } catch (RuntimeException e) {
            // Logged once per version: a hand-edited entry that does not parse must not flood the log.
            if (!Objects.equals(undecodable.put(r.name(), r.version()), r.version())) {
                log.error("periodic task entry '{}' (version {}) cannot be read and is ignored: {}", r.name(),
                        r.version(), e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** Publishes the due runs of one entry and saves its state; re-reads and retries on a concurrent change. */
    private void fire(String name, Instant now) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS && !closed; attempt++) {
            Optional<ScheduleRecord> rec = s.store().entry(name);
            if (rec.isEmpty()) {
                cache.remove(name);
                return;
            }
            Optional<Entry> decoded = decode(rec.get());
            if (decoded.isEmpty()) {
                cache.remove(name);
                return;
            }
            Entry e = decoded.get();
            cache.put(name, new Cached(rec.get().version(), e));
            if (!isDue(e, now)) {
                return;
            }
            PeriodicTask d = e.definition();
            State st = e.state();
            DueRuns.Plan plan = DueRuns.plan(d.schedule(), st.nextRunAt(), now, s.misfireGrace(), d.missedRuns(),
                    MAX_RUNS_PER_FIRE);
            List<Instant> runs = plan.runs();
            if (plan.dropped()) {
                log.warn("periodic task '{}': runs due between {} and {} were missed and dropped ({}); next run {}",
                        name, st.nextRunAt(), now, d.missedRuns(), plan.next());
            }
            Instant skipped = null;
            if (!runs.isEmpty() && d.overlap() == OverlapPolicy.SKIP_IF_RUNNING) {
                if (previousRunActive(st, now)) {
                    skipped = runs.get(runs.size() - 1);
                    log.info("periodic task '{}': run of {} skipped, previous run {} has not finished", name,
                            skipped, st.lastRunId());
                    runs = List.of();
                } else if (runs.size() > 1) {
                    // Runs published together would overlap one another.
                    runs = runs.subList(0, 1);
                }
            }
            String lastId = null;
            String lastQueue = null;
            if (!runs.isEmpty()) {
                List<String> ids = new ArrayList<>(runs.size());
                for (Instant at : runs) {
                    ids.add(runId(name, at));
                }
                List<TaskHandle<?>> handles = publish(d, ids, runs);
                lastId = ids.get(ids.size() - 1);
                lastQueue = handles.get(handles.size() - 1).queue();
            }
            boolean clocked = DueRuns.clockedAt(d.schedule()).isPresent();
            boolean finished = (!runs.isEmpty() && (d.oneOff() || clocked)) || (clocked && plan.next() == null);
            State ns = st.withNextRunAt(finished ? null : plan.next());
            if (!runs.isEmpty()) {
                ns = ns.withRuns(now, lastId, lastQueue, runs.size());
            }
            Entry ne = e.withState(ns);
            ScheduleAuditRecord audit = null;
            if (finished) {
                ne = new Entry(d.toBuilder().enabled(false).build(), e.declared(), ns.withUpdatedAt(now));
                audit = new ScheduleAuditRecord(now, name, "disable", "scheduler", EntryCodec.encodeDefinition(d),
                        EntryCodec.encodeDefinition(ne.definition()), "one-off entry ran");
            }
            OptionalLong v = s.store().write(name, EntryCodec.encode(ne), rec.get().version(), audit);
            if (v.isPresent()) {
                cache.put(name, new Cached(v.getAsLong(), ne));
                // Reported once the state is saved: a leader that lost the race reports nothing.
                if (plan.dropped()) {
                    tell(l -> l.runsMissed(name, st.nextRunAt(), now, d.missedRuns()));
                }
                if (skipped != null) {
                    Instant at = skipped;
                    tell(l -> l.runSkipped(name, at, st.lastRunId()));
                }
                for (Instant at : runs) {
                    tell(l -> l.runPublished(name, runId(name, at), at, now));
                }
                if (!runs.isEmpty()) {
                    log.debug("periodic task '{}': published {} run(s), last {}; next {}", name, runs.size(), lastId,
                            ns.nextRunAt());
                }
                if (finished) {
                    log.info("periodic task '{}' was one-off and is now disabled", name);
                }
                return;
            }
            // Changed meanwhile (an edit, or another leader). What was published keeps its id: re-planning from the
            // fresh state republishes the same ids, which the broker ignores, or finds nothing due.
            log.debug("periodic task '{}' changed while publishing; re-reading", name);
        }
        if (!closed) {
            log.warn("periodic task '{}': could not save its state after {} attempts; will retry", name,
                    MAX_CAS_ATTEMPTS);
        }
    }

    private boolean previousRunActive(State st, Instant now) {
        if (st.lastRunId() == null || st.lastRunQueue() == null) {
            return false;
        }
        TaskState state = s.taskq().handle(st.lastRunQueue(), st.lastRunId()).state();
        if (state.isFinal() || state == TaskState.UNKNOWN) {
            return false; // finished, or its record expired
        }
        if (state == TaskState.PENDING) {
            // PENDING is "queued" or "unknown"; only a recent run can still be queued, an old one's record is gone.
            return st.lastRunAt() != null && st.lastRunAt().isAfter(now.minus(s.overlapLookback()));
        }
        return true;
    }

    /** The task id of a scheduled run: the same on every instance, so the broker drops a second publish. */
    public static String runId(String entry, Instant scheduledAt) {
        return "sched:" + entry + ":" + scheduledAt.toEpochMilli();
    }

    private List<TaskHandle<?>> publish(PeriodicTask d, List<String> ids, List<Instant> scheduledAt) {
        Object[] args = args(d);
        List<TaskRequest<?>> requests = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            TaskRequest<Object> r = request(d, args, ids.get(i));
            if (scheduledAt != null) {
                r = r.header(HEADER_SCHEDULED_AT, scheduledAt.get(i).toString());
            }
            requests.add(r);
        }
        return s.taskq().submitAll(requests);
    }

    private static TaskRequest<Object> request(PeriodicTask d, Object[] args, String id) {
        TaskRequest<Object> r = TaskRequest.named(d.task(), args).id(id).header(HEADER_ENTRY, d.name());
        if (d.queue().isPresent()) {
            r = r.queue(d.queue().get());
        }
        if (d.priority().isPresent()) {
            r = r.priority(d.priority().get());
        }
        if (d.expires().isPresent()) {
            // Relative to publishing, as Celery's expires option: a caught-up missed run gets its full window.
            r = r.expiresIn(d.expires().get());
        }
        return r;
    }

    private static Object[] args(PeriodicTask d) {
        try {
            JsonNode array = Json.mapper().readTree(d.args());
            Object[] out = new Object[array.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = array.get(i);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("arguments of periodic task '" + d.name() + "' are not a JSON array", e);
        }
    }

    // ------------------------------------------------------------------ reads

    /** All readable entries, by name. */
    public List<PeriodicTaskInfo> entries() {
        List<PeriodicTaskInfo> out = new ArrayList<>();
        for (ScheduleRecord r : s.store().entries()) {
            decode(r).ifPresent(e -> out.add(info(e)));
        }
        out.sort(Comparator.comparing(PeriodicTaskInfo::name));
        return out;
    }

    /** One entry. */
    public Optional<PeriodicTaskInfo> entry(String name) {
        return s.store().entry(name).flatMap(this::decode).map(SchedulerEngine::info);
    }

    /** The newest audit records. */
    public List<AuditRecord> audit(int limit) {
        List<AuditRecord> out = new ArrayList<>();
        for (ScheduleAuditRecord r : s.store().audit(limit)) {
            out.add(new AuditRecord(r.at(), r.entry(), r.action(), r.actor(), r.before(), r.after(), r.detail()));
        }
        return out;
    }

    private static PeriodicTaskInfo info(Entry e) {
        State st = e.state();
        return new PeriodicTaskInfo(e.definition(), e.definition().enabled() ? st.nextRunAt() : null,
                st.lastRunAt(), st.lastRunId(), st.totalRunCount(), st.createdAt(), st.updatedAt());
    }

    // ------------------------------------------------------------------ edits

    /** An edit of one entry: from the current entry (null if absent) to the new one (null to delete). */
    private interface Edit {
        Entry apply(Entry current, Instant now);
    }

    /**
     * Applies an edit with compare-and-set, re-reading and re-applying it when the leader saved run state
     * meanwhile. Returns the resulting entry; the same object as the current one means "no change" and writes
     * nothing (no audit record for a no-op).
     */
    private Optional<Entry> edit(String name, String action, String actor, String detail, Edit edit) {
        Objects.requireNonNull(actor, "actor");
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Instant now = s.clock().instant();
            Optional<ScheduleRecord> rec = s.store().entry(name);
            Entry current = null;
            if (rec.isPresent()) {
                try {
                    current = EntryCodec.decode(rec.get().json());
                } catch (RuntimeException e) {
                    if (!"delete".equals(action) && !"declare".equals(action)) {
                        throw new IllegalStateException("periodic task entry '" + name + "' cannot be read: "
                                + e.getMessage() + " (delete it, or fix the stored JSON)", e);
                    }
                }
            }
            Entry next = edit.apply(current, now);
            if (next == current && current != null) {
                return Optional.of(current);
            }
            ScheduleAuditRecord audit = new ScheduleAuditRecord(now, name, action, actor,
                    current == null ? null : EntryCodec.encodeDefinition(current.definition()),
                    next == null ? null : EntryCodec.encodeDefinition(next.definition()), detail);
            long expected = rec.map(ScheduleRecord::version).orElse(ScheduleStore.ABSENT);
            if (next == null) {
                if (rec.isEmpty()) {
                    return Optional.empty();
                }
                if (s.store().delete(name, expected, audit)) {
                    log.info("periodic task '{}' deleted by {}", name, actor);
                    return Optional.empty();
                }
            } else if (s.store().write(name, EntryCodec.encode(next), expected, audit).isPresent()) {
                log.info("periodic task '{}': {} by {}", name, action, actor);
                return Optional.of(next);
            }
        }
        throw new IllegalStateException("periodic task '" + name + "' changes too often to " + action
                + " it; try again");
    }

    /** Creates an entry; fails if the name exists. */
    public PeriodicTaskInfo add(PeriodicTask given, String actor) {
        PeriodicTask task = encodedArgs(Objects.requireNonNull(given, "task"));
        requireRegisteredTask(task);
        return info(edit(task.name(), "add", actor, null, (cur, now) -> {
            if (cur != null) {
                throw new IllegalStateException("periodic task '" + task.name() + "' already exists; use update");
            }
            return created(task, null, now);
        }).orElseThrow());
    }

    /** Replaces an entry's definition, keeping its run state; fails if it does not exist. */
    public PeriodicTaskInfo update(PeriodicTask given, String actor) {
        PeriodicTask task = encodedArgs(Objects.requireNonNull(given, "task"));
        requireRegisteredTask(task);
        return info(edit(task.name(), "update", actor, null, (cur, now) -> {
            if (cur == null) {
                throw new NoSuchElementException("no periodic task '" + task.name() + "'");
            }
            return redefine(cur, task, now);
        }).orElseThrow());
    }

    /** Enables or disables an entry. */
    public PeriodicTaskInfo setEnabled(String name, boolean enabled, String actor) {
        return info(edit(name, enabled ? "enable" : "disable", actor, null, (cur, now) -> {
            if (cur == null) {
                throw new NoSuchElementException("no periodic task '" + name + "'");
            }
            return redefine(cur, cur.definition().toBuilder().enabled(enabled).build(), now);
        }).orElseThrow());
    }

    /** Deletes an entry; false if there was none. */
    public boolean delete(String name, String actor) {
        boolean[] existed = new boolean[1];
        edit(name, "delete", actor, null, (cur, now) -> {
            existed[0] = cur != null || s.store().entry(name).isPresent();
            return null;
        });
        return existed[0];
    }

    /** Publishes one run of an entry now, outside its schedule, and records it. */
    public TaskHandle<Object> runNow(String name, String actor) {
        Objects.requireNonNull(actor, "actor");
        Entry e = s.store().entry(name).flatMap(this::decode)
                .orElseThrow(() -> new NoSuchElementException("no periodic task '" + name + "'"));
        // Random, not deterministic: two people pressing "run now" asked for two runs.
        String id = "sched:" + name + ":manual:" + UUID.randomUUID();
        @SuppressWarnings("unchecked")
        TaskHandle<Object> handle = (TaskHandle<Object>) publish(e.definition(), List.of(id), null).get(0);
        try {
            Instant[] at = new Instant[1];
            edit(name, "run-now", actor, id, (cur, now) -> {
                if (cur == null) {
                    throw new NoSuchElementException("no periodic task '" + name + "'");
                }
                at[0] = now;
                return cur.withState(cur.state().withRuns(now, id, handle.queue(), 1));
            });
            tell(l -> l.runPublished(name, id, at[0], at[0]));
        } catch (NoSuchElementException gone) {
            log.info("periodic task '{}' was deleted while it was run by hand as {}", name, id);
        }
        return handle;
    }

    /**
     * Applies a code declaration: creates the entry, or replaces its definition when the declaration changed since
     * it was last applied. An unchanged declaration leaves the entry alone, so run-time edits survive restarts.
     */
    private void declare(PeriodicTask d) {
        edit(d.name(), "declare", "code", "instance " + s.instanceId(), (cur, now) -> {
            if (cur == null) {
                return created(d, d, now);
            }
            if (d.equals(cur.declared())) {
                return cur;
            }
            Entry n = redefine(cur, d, now);
            return new Entry(n.definition(), d, n.state());
        });
    }

    private Entry created(PeriodicTask d, PeriodicTask declared, Instant now) {
        Instant next = d.enabled() ? DueRuns.firstRun(d.schedule(), d.startTime().orElse(null), now, true) : null;
        return new Entry(d, declared, State.created(now, next));
    }

    /**
     * The entry with a new definition. The next run is recomputed from now only when what decides it changed
     * (schedule, start time, enabled), so an edit of, say, the description keeps a due run due. Re-enabling does
     * not fire for the time the entry was disabled (celery #370, django-celery-beat #537).
     */
    private Entry redefine(Entry cur, PeriodicTask d, Instant now) {
        PeriodicTask old = cur.definition();
        if (old.equals(d)) {
            return cur;
        }
        State st = cur.state().withUpdatedAt(now);
        boolean timing = !old.schedule().equals(d.schedule()) || !old.startTime().equals(d.startTime())
                || old.enabled() != d.enabled();
        if (!d.enabled()) {
            st = st.withNextRunAt(null);
        } else if (timing || st.nextRunAt() == null) {
            boolean neverRan = st.lastRunId() == null || !old.schedule().equals(d.schedule());
            st = st.withNextRunAt(DueRuns.firstRun(d.schedule(), d.startTime().orElse(null), now, neverRan));
        }
        return new Entry(d, cur.declared(), st);
    }
}
