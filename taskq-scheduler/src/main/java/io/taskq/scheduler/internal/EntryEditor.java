package io.taskq.scheduler.internal;

import io.taskq.TaskHandle;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.EntryCodec.State;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Clock;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edits entries at run time, from any instance, leader or not: creates, updates, enables, disables, deletes, runs one
 * by hand, and applies the code declarations at start. Each edit is a compare-and-set on the entry's version together
 * with its audit record, re-applied when the leader saved run state meanwhile.
 */
final class EntryEditor {
    private static final Logger log = LoggerFactory.getLogger(EntryEditor.class);

    private static final int MAX_CAS_ATTEMPTS = 50;

    /** An edit of one entry: from the current entry (null if absent) to the new one (null to delete). */
    private interface Edit {
        Entry apply(Entry current, Instant now);
    }

    private final ScheduleStore store;
    private final StoredEntries entries;
    private final Clock clock;
    private final TaskNameCheck taskNames;
    private final RunSubmitter submitter;
    private final Listeners listeners;
    private final SchedulerEvents events;

    EntryEditor(ScheduleStore store, StoredEntries entries, Clock clock, TaskNameCheck taskNames,
                RunSubmitter submitter, Listeners listeners, SchedulerEvents events) {
        this.store = store;
        this.entries = entries;
        this.clock = clock;
        this.taskNames = taskNames;
        this.submitter = submitter;
        this.listeners = listeners;
        this.events = events;
    }

    /** Creates an entry; fails if the name exists. */
    PeriodicTaskInfo add(PeriodicTask task, String actor) {
        Objects.requireNonNull(task, "task");
        taskNames.refuse(task);
        return StoredEntries.info(edit(task.name(), "add", actor, null, (cur, now) -> {
            if (cur != null) {
                throw new IllegalStateException("periodic task '" + task.name() + "' already exists; use update");
            }
            return created(task, null, now);
        }).orElseThrow());
    }

    /** Replaces an entry's definition, keeping its run state; fails if it does not exist. */
    PeriodicTaskInfo update(PeriodicTask task, String actor) {
        Objects.requireNonNull(task, "task");
        taskNames.refuse(task);
        return StoredEntries.info(edit(task.name(), "update", actor, null, (cur, now) -> {
            if (cur == null) {
                throw new NoSuchElementException("no periodic task '" + task.name() + "'");
            }
            return redefine(cur, task, now);
        }).orElseThrow());
    }

    /** Enables or disables an entry. */
    PeriodicTaskInfo setEnabled(String name, boolean enabled, String actor) {
        return StoredEntries.info(edit(name, enabled ? "enable" : "disable", actor, null, (cur, now) -> {
            if (cur == null) {
                throw new NoSuchElementException("no periodic task '" + name + "'");
            }
            return redefine(cur, cur.definition().toBuilder().enabled(enabled).build(), now);
        }).orElseThrow());
    }

    /** Deletes an entry; false if there was none. */
    boolean delete(String name, String actor) {
        boolean[] existed = new boolean[1];
        edit(name, "delete", actor, null, (cur, now) -> {
            existed[0] = cur != null || store.entry(name).isPresent();
            return null;
        });
        return existed[0];
    }

    /** Publishes one run of an entry now, outside its schedule, and records it. */
    TaskHandle<Object> runNow(String name, String actor) {
        Objects.requireNonNull(actor, "actor");
        Entry e = entries.one(name).map(StoredEntries.Versioned::entry)
                .orElseThrow(() -> new NoSuchElementException("no periodic task '" + name + "'"));
        TaskHandle<Object> handle = submitter.submitManual(name, e.definition());
        String id = handle.id();
        try {
            Instant[] at = new Instant[1];
            edit(name, "run-now", actor, id, (cur, now) -> {
                if (cur == null) {
                    throw new NoSuchElementException("no periodic task '" + name + "'");
                }
                at[0] = now;
                return cur.withState(cur.state().withRuns(now, id, handle.queue(), 1));
            });
            listeners.tell(l -> l.runPublished(name, id, at[0], at[0]));
            events.published(name, e.definition(), id, handle.queue(), at[0], at[0], true);
        } catch (NoSuchElementException gone) {
            log.info("periodic task '{}' was deleted while it was run by hand as {}", name, id);
        }
        return handle;
    }

    /**
     * Applies a code declaration: creates the entry, or replaces its definition when the declaration changed since
     * it was last applied. An unchanged declaration leaves the entry alone, so run-time edits survive restarts.
     */
    void declare(PeriodicTask d, String instanceId) {
        edit(d.name(), "declare", "code", "instance " + instanceId, (cur, now) -> {
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

    /**
     * Applies an edit with compare-and-set, re-reading and re-applying it when the leader saved run state
     * meanwhile. Returns the resulting entry; the same object as the current one means "no change" and writes
     * nothing (no audit record for a no-op).
     */
    private Optional<Entry> edit(String name, String action, String actor, String detail, Edit edit) {
        Objects.requireNonNull(actor, "actor");
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<ScheduleRecord> rec = store.entry(name);
            Entry current = rec.isPresent() ? current(rec.get(), action) : null;
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
                if (store.delete(name, expected, audit)) {
                    log.info("periodic task '{}' deleted by {}", name, actor);
                    return Optional.empty();
                }
            } else if (store.write(name, EntryCodec.encode(next), expected, audit).isPresent()) {
                log.info("periodic task '{}': {} by {}", name, action, actor);
                return Optional.of(next);
            }
        }
        throw new IllegalStateException("periodic task '" + name + "' changes too often to " + action
                + " it; try again");
    }

    /**
     * The stored entry, decoded. One that cannot be read can still be deleted, or replaced by its declaration;
     * any other edit is refused, since it would need the entry's state.
     */
    private static Entry current(ScheduleRecord rec, String action) {
        try {
            return EntryCodec.decode(rec.json());
        } catch (RuntimeException e) {
            if ("delete".equals(action) || "declare".equals(action)) {
                return null;
            }
            throw new IllegalStateException("periodic task entry '" + rec.name() + "' cannot be read: "
                    + e.getMessage() + " (delete it, or fix the stored JSON)", e);
        }
    }

    private static Entry created(PeriodicTask d, PeriodicTask declared, Instant now) {
        Instant next = d.enabled() ? DueRuns.firstRun(d.schedule(), d.startTime().orElse(null), now, true) : null;
        return new Entry(d, declared, State.created(now, next));
    }

    /**
     * The entry with a new definition. The next run is recomputed from now only when what decides it changed
     * (schedule, start time, enabled), so an edit of, say, the description keeps a due run due. Re-enabling does
     * not fire for the time the entry was disabled (celery #370, django-celery-beat #537).
     */
    private static Entry redefine(Entry cur, PeriodicTask d, Instant now) {
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
