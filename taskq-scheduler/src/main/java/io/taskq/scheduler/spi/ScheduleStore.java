package io.taskq.scheduler.spi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Durable home of the scheduler's periodic-task entries and of their audit trail, shared by every scheduler
 * instance of an application (django-celery-beat's tables, RedBeat's keys).
 *
 * <p>Contract, checked by the {@code ScheduleStoreContractTest} suite:
 * <ul>
 *   <li>Entries are opaque JSON text keyed by a unique name. Every write is a compare-and-set on the entry's
 *       version; versions come from one store-wide increasing sequence, so they are never reused.</li>
 *   <li>A write or delete that carries a {@link ScheduleAuditRecord} is a <em>change</em>: in the same atomic
 *       step the record is appended to the audit trail and the {@link #changeCount() change count} increases.
 *       A write without one (the scheduler saving run-time state such as the last run) is not a change.
 *       A delete is always a change.</li>
 *   <li>After a change is visible, the store calls the listeners {@link #subscribe subscribed} in this process
 *       and, where the store is shared between processes, makes the others call theirs soon (a Redis store
 *       publishes a message). Notifications may be lost or merged, which is why {@link #changeCount()} exists:
 *       a scheduler that wakes up anyway compares the count with the one it last saw.</li>
 *   <li>The audit trail keeps at least the newest 1,000 records; older ones may be trimmed.</li>
 * </ul>
 *
 * <p>Designed for Redis: everything fits under one hash tag (a hash of entries, a hash of versions, a sequence, a
 * change counter and a capped audit list), and each write is one Lua script. All methods are thread-safe.
 */
public interface ScheduleStore extends AutoCloseable {

    /** The expected version meaning "the entry must not exist yet". */
    long ABSENT = 0L;

    /** All entries, in no particular order. */
    List<ScheduleRecord> entries();

    /** One entry, if it exists. */
    Optional<ScheduleRecord> entry(String name);

    /**
     * Creates or replaces an entry if its current version is {@code expectedVersion} ({@link #ABSENT} to create).
     *
     * @param audit the audit record if this write is a change, or null for a run-time state write
     * @return the entry's new version, or empty if the current version differs (nothing was written)
     */
    OptionalLong write(String name, String json, long expectedVersion, ScheduleAuditRecord audit);

    /**
     * Deletes an entry if its current version is {@code expectedVersion}.
     *
     * @param audit the audit record to append, or null
     * @return false if the entry does not exist or its version differs (nothing was deleted)
     */
    boolean delete(String name, long expectedVersion, ScheduleAuditRecord audit);

    /** The newest audit records, newest first, at most {@code limit}. */
    List<ScheduleAuditRecord> audit(int limit);

    /** How many changes were made so far; increases with every change, never decreases. */
    long changeCount();

    /**
     * Calls {@code listener} after each change (possibly merged, possibly from another process). Listeners must
     * return quickly: they run on the writer's thread or the store's notification thread.
     *
     * @return closing it stops the calls
     */
    Subscription subscribe(Runnable listener);

    /** Releases resources. */
    @Override
    void close();

    /** A listener registration; closing it is idempotent. */
    interface Subscription extends AutoCloseable {
        /** Stops the notifications. */
        @Override
        void close();
    }
}
