package io.taskq.scheduler.spi;

import java.util.Objects;

/**
 * One periodic-task entry as a {@link ScheduleStore} keeps it: a unique name, the entry as opaque JSON text
 * (the scheduler owns its format), and a version for compare-and-set.
 *
 * @param name    the entry's unique name
 * @param json    the entry, JSON text the store does not interpret
 * @param version positive; changes on every write of this entry and is never reused by the store, even after a
 *                delete and re-create, so a writer holding an old version can never overwrite a newer entry
 */
public record ScheduleRecord(String name, String json, long version) {

    /** Checks the fields. */
    public ScheduleRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(json, "json");
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive, was " + version);
        }
    }
}
