package io.taskq.scheduler.internal;

import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.EntryCodec.State;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@link ScheduleStore}: entries decoded from their stored JSON, and the audit trail. An entry that cannot
 * be decoded is left out and logged once per version, so that a hand-edited entry that does not parse neither stops
 * the scheduler nor floods the log.
 */
final class StoredEntries {
    private static final Logger log = LoggerFactory.getLogger(StoredEntries.class);

    /** A decoded entry with the store version it was read at. */
    record Versioned(long version, Entry entry) {
    }

    private final ScheduleStore store;
    private final Map<String, Long> undecodable = new ConcurrentHashMap<>();

    StoredEntries(ScheduleStore store) {
        this.store = store;
    }

    /** Every readable entry, by name. */
    Map<String, Versioned> all() {
        Map<String, Versioned> out = new HashMap<>();
        for (ScheduleRecord r : store.entries()) {
            decode(r).ifPresent(e -> out.put(r.name(), new Versioned(r.version(), e)));
        }
        return out;
    }

    /** One entry, empty if it does not exist or cannot be read. */
    Optional<Versioned> one(String name) {
        return store.entry(name).flatMap(r -> decode(r).map(e -> new Versioned(r.version(), e)));
    }

    /** All readable entries as the API shows them, by name. */
    List<PeriodicTaskInfo> infos() {
        List<PeriodicTaskInfo> out = new ArrayList<>();
        for (Versioned v : all().values()) {
            out.add(info(v.entry()));
        }
        out.sort(Comparator.comparing(PeriodicTaskInfo::name));
        return out;
    }

    /** One entry as the API shows it. */
    Optional<PeriodicTaskInfo> info(String name) {
        return one(name).map(v -> info(v.entry()));
    }

    /** The newest audit records, newest first. */
    List<AuditRecord> audit(int limit) {
        List<AuditRecord> out = new ArrayList<>();
        for (ScheduleAuditRecord r : store.audit(limit)) {
            out.add(new AuditRecord(r.at(), r.entry(), r.action(), r.actor(), r.before(), r.after(), r.detail()));
        }
        return out;
    }

    /** An entry as the API shows it: a disabled entry has no next run. */
    static PeriodicTaskInfo info(Entry e) {
        State st = e.state();
        return new PeriodicTaskInfo(e.definition(), e.definition().enabled() ? st.nextRunAt() : null,
                st.lastRunAt(), st.lastRunId(), st.totalRunCount(), st.createdAt(), st.updatedAt());
    }

    private Optional<Entry> decode(ScheduleRecord r) {
        try {
            Entry e = EntryCodec.decode(r.json());
            undecodable.remove(r.name());
            return Optional.of(e);
        } catch (RuntimeException e) {
            if (!Objects.equals(undecodable.put(r.name(), r.version()), r.version())) {
                log.error("periodic task entry '{}' (version {}) cannot be read and is ignored: {}", r.name(),
                        r.version(), e.getMessage());
            }
            return Optional.empty();
        }
    }
}
