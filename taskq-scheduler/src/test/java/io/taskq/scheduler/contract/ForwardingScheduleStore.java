package io.taskq.scheduler.contract;

import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A store passing every call to another; tests override the calls they disturb. */
public class ForwardingScheduleStore implements ScheduleStore {
    protected final ScheduleStore delegate;

    public ForwardingScheduleStore(ScheduleStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<ScheduleRecord> entries() {
        return delegate.entries();
    }

    @Override
    public Optional<ScheduleRecord> entry(String name) {
        return delegate.entry(name);
    }

    @Override
    public OptionalLong write(String name, String json, long expectedVersion, ScheduleAuditRecord audit) {
        return delegate.write(name, json, expectedVersion, audit);
    }

    @Override
    public boolean delete(String name, long expectedVersion, ScheduleAuditRecord audit) {
        return delegate.delete(name, expectedVersion, audit);
    }

    @Override
    public List<ScheduleAuditRecord> audit(int limit) {
        return delegate.audit(limit);
    }

    @Override
    public long changeCount() {
        return delegate.changeCount();
    }

    @Override
    public Subscription subscribe(Runnable listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
