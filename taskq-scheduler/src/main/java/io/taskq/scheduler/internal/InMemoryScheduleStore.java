package io.taskq.scheduler.internal;

import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link ScheduleStore}: entries and audit trail in this JVM's memory, shared by every scheduler
 * instance that is given the same object. Lost when the JVM exits; use the Redis store for durability.
 */
public final class InMemoryScheduleStore implements ScheduleStore {
    private static final Logger log = LoggerFactory.getLogger(InMemoryScheduleStore.class);

    /** Default number of audit records kept. */
    public static final int DEFAULT_AUDIT_CAPACITY = 10_000;

    private final int auditCapacity;
    private final Map<String, ScheduleRecord> entries = new HashMap<>();
    private final Deque<ScheduleAuditRecord> audit = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long sequence;
    private long changes;

    /** A store keeping the newest {@value #DEFAULT_AUDIT_CAPACITY} audit records. */
    public InMemoryScheduleStore() {
        this(DEFAULT_AUDIT_CAPACITY);
    }

    /** A store keeping the newest {@code auditCapacity} audit records (small in this package's tests). */
    InMemoryScheduleStore(int auditCapacity) {
        if (auditCapacity < 1) {
            throw new IllegalArgumentException("auditCapacity must be positive");
        }
        this.auditCapacity = auditCapacity;
    }

    @Override
    public synchronized List<ScheduleRecord> entries() {
        return List.copyOf(entries.values());
    }

    @Override
    public synchronized Optional<ScheduleRecord> entry(String name) {
        return Optional.ofNullable(entries.get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public OptionalLong write(String name, String json, long expectedVersion, ScheduleAuditRecord auditRecord) {
        checkName(name);
        Objects.requireNonNull(json, "json");
        long version;
        synchronized (this) {
            ScheduleRecord current = entries.get(name);
            long currentVersion = current == null ? ABSENT : current.version();
            if (currentVersion != expectedVersion) {
                return OptionalLong.empty();
            }
            version = ++sequence;
            entries.put(name, new ScheduleRecord(name, json, version));
            if (auditRecord == null) {
                return OptionalLong.of(version);
            }
            changed(auditRecord);
        }
        // Outside the lock: a listener that reads the store must not deadlock against another writer.
        notifyListeners();
        return OptionalLong.of(version);
    }

    @Override
    public boolean delete(String name, long expectedVersion, ScheduleAuditRecord auditRecord) {
        checkName(name);
        synchronized (this) {
            ScheduleRecord current = entries.get(name);
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            entries.remove(name);
            changed(auditRecord);
        }
        notifyListeners();
        return true;
    }

    private void changed(ScheduleAuditRecord auditRecord) {
        changes++;
        if (auditRecord != null) {
            audit.addFirst(auditRecord);
            while (audit.size() > auditCapacity) {
                audit.removeLast();
            }
        }
    }

    @Override
    public synchronized List<ScheduleAuditRecord> audit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        List<ScheduleAuditRecord> out = new ArrayList<>(Math.min(limit, audit.size()));
        Iterator<ScheduleAuditRecord> it = audit.iterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }

    @Override
    public synchronized long changeCount() {
        return changes;
    }

    @Override
    public Subscription subscribe(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        // A wrapper per subscription, so that subscribing the same Runnable twice needs two closes.
        Runnable registered = listener::run;
        listeners.add(registered);
        return () -> listeners.remove(registered);
    }

    private void notifyListeners() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                // One broken listener must not keep the change from the others, nor fail the writer.
                log.warn("schedule change listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        listeners.clear();
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("entry name must not be blank");
        }
    }
}
