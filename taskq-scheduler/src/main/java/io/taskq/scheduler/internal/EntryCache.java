package io.taskq.scheduler.internal;

import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.StoredEntries.Versioned;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries as this instance last read them, so that a pass of the loop finds what is due without reading every
 * entry: re-read when the store's change count moved (an edit anywhere) and when this instance becomes leader.
 * The publisher re-reads an entry before it publishes, so a stale cache costs a read, never a wrong run.
 */
final class EntryCache {
    private final ScheduleStore store;
    private final StoredEntries entries;
    private final Map<String, Versioned> cache = new ConcurrentHashMap<>();
    private long seenChanges = -1;

    EntryCache(ScheduleStore store, StoredEntries entries) {
        this.store = store;
        this.entries = entries;
    }

    /** Re-reads every entry if the store changed since the last read, or always if {@code force}. */
    void refresh(boolean force) {
        long changes = store.changeCount();
        if (force || changes != seenChanges) {
            // Read the count before the entries: a change in between is seen again next time, never missed.
            seenChanges = changes;
            Map<String, Versioned> fresh = entries.all();
            cache.keySet().retainAll(fresh.keySet());
            cache.putAll(fresh);
        }
    }

    /** Records an entry as just read or written. */
    void put(String name, Versioned entry) {
        cache.put(name, entry);
    }

    /** Forgets an entry that is gone or unreadable. */
    void remove(String name) {
        cache.remove(name);
    }

    /** The names of the entries due at {@code now}. */
    List<String> due(Instant now) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Versioned> e : cache.entrySet()) {
            if (isDue(e.getValue().entry(), now)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** The earliest next run of an enabled entry, if any. */
    Optional<Instant> nextDue() {
        return cache.values().stream()
                .map(Versioned::entry)
                .filter(e -> e.definition().enabled() && e.state().nextRunAt() != null)
                .map(e -> e.state().nextRunAt())
                .min(Comparator.naturalOrder());
    }

    /** Whether an entry is enabled and its next run is not after {@code now}. */
    static boolean isDue(Entry e, Instant now) {
        return e.definition().enabled() && e.state().nextRunAt() != null && !e.state().nextRunAt().isAfter(now);
    }
}
