package io.taskq.scheduler;

import io.taskq.scheduler.internal.EntryCodec;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to the periodic task entries, as listed by {@link Scheduler#audit(int)}.
 *
 * @param at     when it happened
 * @param entry  the entry's name
 * @param action one of {@code add}, {@code update}, {@code enable}, {@code disable}, {@code delete},
 *               {@code run-now}, {@code declare} (a code declaration applied at start-up)
 * @param actor  who did it, as passed to the scheduler's method
 * @param before the definition before, as JSON; null if the entry did not exist
 * @param after  the definition after, as JSON; null if the entry was deleted
 * @param detail extra information, e.g. the task id of a run started by hand; may be null
 */
public record AuditRecord(Instant at, String entry, String action, String actor, String before, String after,
                          String detail) {

    /** Checks the required fields. */
    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
    }

    /** The definition before the change, decoded; empty if there was none or it cannot be decoded. */
    public Optional<PeriodicTask> beforeTask() {
        return EntryCodec.tryDecodeDefinition(before);
    }

    /** The definition after the change, decoded; empty if there is none or it cannot be decoded. */
    public Optional<PeriodicTask> afterTask() {
        return EntryCodec.tryDecodeDefinition(after);
    }
}
