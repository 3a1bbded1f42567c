package io.taskq.scheduler.internal;

import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.SchedulerListener;
import io.taskq.scheduler.spi.ScheduleStore;
import io.taskq.spi.Leases;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's parts, wired and started and stopped in order: the {@link EntryEditor} (run-time edits and the
 * code declarations), the {@link LeaderLoop} (leadership and its timing) and the {@link RunPublisher} it drives
 * (due runs published once), over one {@link ScheduleStore}.
 */
public final class SchedulerEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerEngine.class);

    /**
     * Settings, validated by the public builder.
     *
     * @param threads makes the loop's one thread, in {@link #start()}
     */
    public record Settings(Taskq taskq, ScheduleStore store, boolean ownsStore, Leases leases, Clock clock,
                           String instanceId, String leaseName, Duration leaseTtl, Duration maxSleep,
                           Duration misfireGrace, Duration overlapLookback, List<PeriodicTask> declared,
                           List<SchedulerListener> listeners, boolean allowUnregisteredTasks, ThreadFactory threads) {
    }

    private final Settings s;
    /** The code declarations, their arguments encoded with the taskq's mapper. */
    private final List<PeriodicTask> declared;
    private final StoredEntries entries;
    private final EntryEditor editor;
    private final LeaderLoop loop;
    private boolean started;
    private boolean closed;
    private ScheduleStore.Subscription subscription;

    /**
     * An engine; nothing runs until {@link #start()}.
     *
     * @throws IllegalStateException if a declaration names a task the taskq does not register (unless allowed)
     */
    public SchedulerEngine(Settings settings) {
        this.s = settings;
        this.declared = settings.declared().stream().map(this::encodedArgs).toList();
        TaskNameCheck taskNames = new TaskNameCheck(s.taskq(), s.allowUnregisteredTasks());
        declared.forEach(taskNames::refuseDeclared);
        Listeners listeners = new Listeners(s.listeners());
        SchedulerEvents events = SchedulerEvents.of(s.taskq(), s.instanceId(), s.clock());
        RunSubmitter submitter = new RunSubmitter(s.taskq());
        this.entries = new StoredEntries(s.store());
        this.editor = new EntryEditor(s.store(), entries, s.clock(), taskNames, submitter, listeners, events);
        EntryCache cache = new EntryCache(s.store(), entries);
        RunPublisher publisher = new RunPublisher(s.store(), entries, cache, submitter, s.taskq(),
                new RunPublisher.Rules(s.misfireGrace(), s.overlapLookback()), listeners, events);
        this.loop = new LeaderLoop(new LeaderLoop.Lease(s.leases(), s.leaseName(), s.instanceId(), s.leaseTtl(),
                s.maxSleep()), s.clock(), s.threads(), cache, publisher, listeners, events);
    }

    /** Applies the code declarations, then starts the loop thread. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("scheduler is closed");
        }
        if (started) {
            throw new IllegalStateException("scheduler already started");
        }
        started = true;
        for (PeriodicTask d : declared) {
            editor.declare(d, s.instanceId());
        }
        subscription = s.store().subscribe(loop::wakeUp);
        loop.start();
        log.info("scheduler {} started ({} declared entries, lease '{}' for {})", s.instanceId(),
                declared.size(), s.leaseName(), s.leaseTtl());
    }

    /** Stops the loop, then gives the lease up so that another instance takes over at once. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        loop.stop();
        if (subscription != null) {
            subscription.close();
        }
        if (started) {
            loop.resign();
        }
        if (s.ownsStore()) {
            s.store().close();
        }
        log.info("scheduler {} closed", s.instanceId());
    }

    /** The entry with arguments given as Java values encoded by the taskq's mapper, as a submit encodes them. */
    private PeriodicTask encodedArgs(PeriodicTask d) {
        return d.withArgsEncodedBy(s.taskq().objectMapper());
    }

    /** Whether this instance held the lease at its last check. */
    public boolean isLeader() {
        return loop.isLeader();
    }

    /** The task id of a scheduled run: the same on every instance, so the broker drops a second publish. */
    public static String runId(String entry, java.time.Instant scheduledAt) {
        return RunSubmitter.runId(entry, scheduledAt);
    }

    /** All readable entries, by name. */
    public List<PeriodicTaskInfo> entries() {
        return entries.infos();
    }

    /** One entry. */
    public Optional<PeriodicTaskInfo> entry(String name) {
        return entries.info(name);
    }

    /** The newest audit records. */
    public List<AuditRecord> audit(int limit) {
        return entries.audit(limit);
    }

    /** Creates an entry; fails if the name exists. */
    public PeriodicTaskInfo add(PeriodicTask task, String actor) {
        return editor.add(encodedArgs(java.util.Objects.requireNonNull(task, "task")), actor);
    }

    /** Replaces an entry's definition, keeping its run state; fails if it does not exist. */
    public PeriodicTaskInfo update(PeriodicTask task, String actor) {
        return editor.update(encodedArgs(java.util.Objects.requireNonNull(task, "task")), actor);
    }

    /** Enables or disables an entry. */
    public PeriodicTaskInfo setEnabled(String name, boolean enabled, String actor) {
        return editor.setEnabled(name, enabled, actor);
    }

    /** Deletes an entry; false if there was none. */
    public boolean delete(String name, String actor) {
        return editor.delete(name, actor);
    }

    /** Publishes one run of an entry now, outside its schedule, and records it. */
    public TaskHandle<Object> runNow(String name, String actor) {
        return editor.runNow(name, actor);
    }
}
