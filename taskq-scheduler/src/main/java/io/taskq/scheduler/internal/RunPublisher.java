package io.taskq.scheduler.internal;

import io.taskq.TaskHandle;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.scheduler.OverlapPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.EntryCodec.State;
import io.taskq.scheduler.internal.StoredEntries.Versioned;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the due runs of entries, each run once: which runs are due, late or missed ({@link DueRuns}, by the
 * misfire grace and the entry's missed-run policy), skipped because the previous run is still going, and the entry's
 * state saved afterwards.
 *
 * <p>Exactly-once publishing rests on three things. Each scheduled run has a deterministic task id
 * ({@link RunSubmitter#runId}) and the broker enqueues an id once. The publisher publishes first and then saves
 * the entry's new state with compare-and-set, so a crash in between makes the next leader publish the same ids
 * again (harmless) rather than lose the run. And a leader that lost its lease while paused fails the compare-and-set,
 * re-reads, and finds the runs already done.
 */
final class RunPublisher {
    private static final Logger log = LoggerFactory.getLogger(RunPublisher.class);

    private static final int MAX_RUNS_PER_FIRE = 1_000;
    private static final int MAX_CAS_ATTEMPTS = 50;

    /** What the settings say about lateness and overlap. */
    record Rules(Duration misfireGrace, Duration overlapLookback) {
    }

    /** What one attempt decided for an entry: the plan, the runs left to publish, and the run skipped, if any. */
    private record Firing(DueRuns.Plan plan, List<Instant> runs, Instant skipped) {
    }

    private final ScheduleStore store;
    private final StoredEntries entries;
    private final EntryCache cache;
    private final RunSubmitter submitter;
    private final Taskq taskq;
    private final Rules rules;
    private final Listeners listeners;
    private final SchedulerEvents events;

    RunPublisher(ScheduleStore store, StoredEntries entries, EntryCache cache, RunSubmitter submitter, Taskq taskq,
                 Rules rules, Listeners listeners, SchedulerEvents events) {
        this.store = store;
        this.entries = entries;
        this.cache = cache;
        this.submitter = submitter;
        this.taskq = taskq;
        this.rules = rules;
        this.listeners = listeners;
        this.events = events;
    }

    /** Publishes what the cache says is due at {@code now}, entry by entry, until {@code stopping}. */
    void publishDue(Instant now, BooleanSupplier stopping) {
        for (String name : cache.due(now)) {
            if (stopping.getAsBoolean()) {
                break;
            }
            fire(name, now, stopping);
        }
    }

    /** Publishes the due runs of one entry and saves its state; re-reads and retries on a concurrent change. */
    private void fire(String name, Instant now, BooleanSupplier stopping) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS && !stopping.getAsBoolean(); attempt++) {
            Optional<Versioned> read = entries.one(name);
            if (read.isEmpty()) {
                cache.remove(name);
                return;
            }
            Versioned current = read.get();
            cache.put(name, current);
            if (!EntryCache.isDue(current.entry(), now)) {
                return;
            }
            Firing firing = plan(name, current.entry(), now);
            List<TaskHandle<?>> handles = firing.runs().isEmpty() ? List.of()
                    : submit(name, current.entry().definition(), firing.runs());
            if (save(name, current, firing, handles, now)) {
                return;
            }
            // Changed meanwhile (an edit, or another leader). What was published keeps its id: re-planning from the
            // fresh state republishes the same ids, which the broker ignores, or finds nothing due.
            log.debug("periodic task '{}' changed while publishing; re-reading", name);
        }
        if (!stopping.getAsBoolean()) {
            log.warn("periodic task '{}': could not save its state after {} attempts; will retry", name,
                    MAX_CAS_ATTEMPTS);
        }
    }

    /** Submits the runs; a failure is told to the event stream and thrown on (the loop retries the entry). */
    private List<TaskHandle<?>> submit(String name, PeriodicTask d, List<Instant> runs) {
        try {
            return submitter.submitScheduled(name, d, runs);
        } catch (RuntimeException e) {
            events.failed(name, d, runs, e);
            throw e;
        }
    }

    /** The runs to publish now: the due ones by the missed-run policy, less those the overlap policy holds back. */
    private Firing plan(String name, Entry e, Instant now) {
        PeriodicTask d = e.definition();
        State st = e.state();
        DueRuns.Plan plan = DueRuns.plan(d.schedule(), st.nextRunAt(), now, rules.misfireGrace(), d.missedRuns(),
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
        return new Firing(plan, runs, skipped);
    }

    private boolean previousRunActive(State st, Instant now) {
        if (st.lastRunId() == null || st.lastRunQueue() == null) {
            return false;
        }
        TaskState state = taskq.handle(st.lastRunQueue(), st.lastRunId()).state();
        if (state.isFinal() || state == TaskState.UNKNOWN) {
            return false; // finished, or its record expired
        }
        if (state == TaskState.PENDING) {
            // PENDING is "queued" or "unknown"; only a recent run can still be queued, an old one's record is gone.
            return st.lastRunAt() != null && st.lastRunAt().isAfter(now.minus(rules.overlapLookback()));
        }
        return true;
    }

    /**
     * Saves the entry's state after the runs were published, with compare-and-set on the version read; a one-off or
     * clocked entry that is done is disabled (and audited). False if the entry changed meanwhile.
     */
    private boolean save(String name, Versioned read, Firing f, List<TaskHandle<?>> handles, Instant now) {
        Entry e = read.entry();
        PeriodicTask d = e.definition();
        List<Instant> runs = f.runs();
        boolean clocked = DueRuns.clockedAt(d.schedule()).isPresent();
        boolean finished = (!runs.isEmpty() && (d.oneOff() || clocked)) || (clocked && f.plan().next() == null);
        State ns = e.state().withNextRunAt(finished ? null : f.plan().next());
        if (!runs.isEmpty()) {
            ns = ns.withRuns(now, RunSubmitter.runId(name, runs.get(runs.size() - 1)),
                    handles.get(handles.size() - 1).queue(), runs.size());
        }
        Entry ne = e.withState(ns);
        ScheduleAuditRecord audit = null;
        if (finished) {
            ne = new Entry(d.toBuilder().enabled(false).build(), e.declared(), ns.withUpdatedAt(now));
            audit = new ScheduleAuditRecord(now, name, "disable", "scheduler", EntryCodec.encodeDefinition(d),
                    EntryCodec.encodeDefinition(ne.definition()), "one-off entry ran");
        }
        OptionalLong v = store.write(name, EntryCodec.encode(ne), read.version(), audit);
        if (v.isEmpty()) {
            return false;
        }
        cache.put(name, new Versioned(v.getAsLong(), ne));
        report(name, e, f, handles, now, finished, ns);
        return true;
    }

    /** Tells the listeners once the state is saved: a leader that lost the race reports nothing. */
    private void report(String name, Entry before, Firing f, List<TaskHandle<?>> handles, Instant now,
                        boolean finished, State saved) {
        State st = before.state();
        PeriodicTask d = before.definition();
        if (f.plan().dropped()) {
            listeners.tell(l -> l.runsMissed(name, st.nextRunAt(), now, d.missedRuns()));
            events.missed(name, d, st.nextRunAt(), now, d.missedRuns());
        }
        if (f.skipped() != null) {
            listeners.tell(l -> l.runSkipped(name, f.skipped(), st.lastRunId()));
            events.skipped(name, d, f.skipped(), st.lastRunId(), now);
        }
        for (int i = 0; i < f.runs().size(); i++) {
            Instant at = f.runs().get(i);
            String id = RunSubmitter.runId(name, at);
            listeners.tell(l -> l.runPublished(name, id, at, now));
            events.published(name, d, id, handles.get(i).queue(), at, now, false);
        }
        if (!f.runs().isEmpty()) {
            log.debug("periodic task '{}': published {} run(s), last {}; next {}", name, f.runs().size(),
                    saved.lastRunId(), saved.nextRunAt());
        }
        if (finished) {
            log.info("periodic task '{}' was one-off and is now disabled", name);
        }
    }
}
