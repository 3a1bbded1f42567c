package io.taskq.spring.boot.autoconfigure;

import io.taskq.scheduler.Scheduler;
import io.taskq.spi.Leases;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link Scheduler} bean when the context has started (it upserts the declared entries, then competes
 * for the leader lease) and closes it on shutdown (it stops publishing and gives the lease up at once, so another
 * instance takes over without waiting for the lease to expire). A scheduler bean of the application's own is
 * started here too: do not start it yourself.
 */
public class TaskqSchedulerRunner implements SmartLifecycle, TaskqSchedulerStatus {
    private final Scheduler scheduler;
    private final Leases leases;
    private final String leaseName;
    private volatile boolean running;

    /**
     * Runs {@code scheduler}.
     *
     * @param leases    where the leader lease is kept (to name the leader), or null if unknown
     * @param leaseName the lease's name
     */
    public TaskqSchedulerRunner(Scheduler scheduler, Leases leases, String leaseName) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.leases = leases;
        this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
    }

    @Override
    public synchronized void start() {
        if (!running) {
            scheduler.start();
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            running = false;
            scheduler.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return TaskqLifecycle.PHASE;
    }

    /** The scheduler. */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public Optional<String> leader() {
        return leases == null ? Optional.empty() : leases.holder(leaseName);
    }

    @Override
    public boolean isLeader() {
        return running && scheduler.isLeader();
    }

    @Override
    public String instanceId() {
        return scheduler.instanceId();
    }

    @Override
    public List<Entry> entries() {
        return scheduler.entries().stream().map(i -> new Entry(i.name(), i.task().task(),
                i.task().schedule().describe(), i.task().enabled(), i.nextRunAt(), i.lastRunAt(),
                i.totalRunCount())).toList();
    }
}
