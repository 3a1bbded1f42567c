package io.taskq.scheduler.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited change to a periodic-task entry, written by {@link ScheduleStore} in the same atomic step as the
 * change itself, so that no change goes unrecorded and no record describes a change that did not happen.
 *
 * @param at     when the change was made (the caller's clock)
 * @param entry  the entry's name
 * @param action what was done, e.g. {@code add}, {@code update}, {@code disable}, {@code delete}, {@code run-now};
 *               the scheduler defines the vocabulary
 * @param actor  who did it, as the caller describes itself (a user name, a service, {@code "code"})
 * @param before the entry's definition before the change, opaque JSON text; null if it did not exist
 * @param after  the definition after the change, opaque JSON text; null if it was deleted
 * @param detail free text, e.g. the task id of a run started by hand; may be null
 */
public record ScheduleAuditRecord(Instant at, String entry, String action, String actor, String before,
                                  String after, String detail) {

    /** Checks the required fields. */
    public ScheduleAuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
    }
}
