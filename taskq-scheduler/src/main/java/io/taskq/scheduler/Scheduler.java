package io.taskq.scheduler;

import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.internal.Ids;
import io.taskq.scheduler.internal.Declarations;
import io.taskq.scheduler.internal.InMemoryScheduleStore;
import io.taskq.scheduler.internal.SchedulerEngine;
import io.taskq.scheduler.spi.ScheduleStore;
import io.taskq.spi.Leases;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;

/**
 * Publishes periodic tasks (Celery beat): run it in every application instance; the instances elect one leader
 * through a lease, and only the leader publishes. Entries live in a shared {@link ScheduleStore} and can be edited
 * at run time through any instance; every instance sees an edit within a few seconds.
 *
 * <pre>{@code
 * try (Scheduler scheduler = Scheduler.builder()
 *         .taskq(taskq)                              // where runs are submitted
 *         .store(redisScheduleStore)                 // shared by all instances (default: in memory)
 *         .declare(new Reports())                    // @Periodic methods, upserted at start
 *         .build()) {
 *     scheduler.start();
 *     scheduler.add(PeriodicTask.builder("cleanup", "files.cleanup", Schedule.every(Duration.ofHours(1)))
 *             .build(), "alice");
 * }
 * }</pre>
 *
 * <p>Each scheduled run is submitted with the task id {@code sched:<entry>:<scheduled epoch millis>}; the broker
 * enqueues an id once, so a run is published once even when two instances briefly both think they lead. The
 * leader sleeps until the next due run, a change notification, or the lease renewal (a third of the lease).
 *
 * <p>Thread-safe. The edit methods work whether or not the scheduler was started (an admin tool can build one
 * without starting it). {@link #close()} stops publishing and gives the lease up.
 */
public final class Scheduler implements AutoCloseable {
    private final SchedulerEngine engine;
    private final String instanceId;

    private Scheduler(SchedulerEngine engine, String instanceId) {
        this.engine = engine;
        this.instanceId = instanceId;
    }

    /** A builder; {@link Builder#taskq(Taskq)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Upserts the declared entries, then starts publishing (or waiting for the lease).
     *
     * @throws IllegalStateException if started twice or closed
     */
    public Scheduler start() {
        engine.start();
        return this;
    }

    /** All entries, by name. Entries whose stored JSON cannot be read are left out (and logged). */
    public List<PeriodicTaskInfo> entries() {
        return engine.entries();
    }

    /** One entry. */
    public Optional<PeriodicTaskInfo> entry(String name) {
        return engine.entry(name);
    }

    /**
     * Creates an entry.
     *
     * @param actor who asks, for the audit trail
     * @throws IllegalStateException    if an entry of that name exists
     * @throws IllegalArgumentException if its task is not registered with the taskq (see
     *                                  {@link Builder#allowUnregisteredTasks})
     */
    public PeriodicTaskInfo add(PeriodicTask task, String actor) {
        return engine.add(task, actor);
    }

    /**
     * Replaces the definition of the entry of the same name, keeping its run count and last run. The next run is
     * recomputed from now if the schedule, start time or enabled flag changed.
     *
     * @throws NoSuchElementException   if there is no such entry
     * @throws IllegalArgumentException if its task is not registered with the taskq (see
     *                                  {@link Builder#allowUnregisteredTasks})
     */
    public PeriodicTaskInfo update(PeriodicTask task, String actor) {
        return engine.update(task, actor);
    }

    /**
     * Enables an entry; its next run is the schedule's next fire after now (no catch-up for the disabled time).
     *
     * @throws NoSuchElementException if there is no such entry
     */
    public PeriodicTaskInfo enable(String name, String actor) {
        return engine.setEnabled(name, true, actor);
    }

    /**
     * Disables an entry.
     *
     * @throws NoSuchElementException if there is no such entry
     */
    public PeriodicTaskInfo disable(String name, String actor) {
        return engine.setEnabled(name, false, actor);
    }

    /**
     * Deletes an entry. An entry declared in code comes back at the next start unless its declaration is removed.
     *
     * @return false if there was no such entry
     */
    public boolean delete(String name, String actor) {
        return engine.delete(name, actor);
    }

    /**
     * Submits one run of an entry now, outside its schedule, from this instance (leader or not), enabled or not.
     * Counts as a run of the entry and is audited.
     *
     * @throws NoSuchElementException if there is no such entry
     */
    public TaskHandle<Object> runNow(String name, String actor) {
        return engine.runNow(name, actor);
    }

    /** The newest audit records, newest first. */
    public List<AuditRecord> audit(int limit) {
        return engine.audit(limit);
    }

    /** Whether this instance held the lease at its last check. */
    public boolean isLeader() {
        return engine.isLeader();
    }

    /** This instance's id in the lease. */
    public String instanceId() {
        return instanceId;
    }

    /** The task id a scheduled run of an entry gets: {@code sched:<entry>:<epoch millis>}. */
    public static String runId(String entry, java.time.Instant scheduledAt) {
        return SchedulerEngine.runId(entry, scheduledAt);
    }

    /** Stops publishing and releases the lease, so that another instance takes over at once. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    /** Configures a {@link Scheduler}. */
    public static final class Builder {
        private Taskq taskq;
        private ScheduleStore store;
        private Leases leases;
        private Clock clock;
        private String instanceId;
        private String leaseName = "taskq.scheduler";
        private Duration leaseTtl = Duration.ofSeconds(15);
        private Duration maxSleep = Duration.ofSeconds(5);
        private Duration misfireGrace = Duration.ofMinutes(1);
        private Duration overlapLookback = Duration.ofHours(24);
        private boolean allowUnregisteredTasks;
        private final List<PeriodicTask> declared = new ArrayList<>();
        private final List<SchedulerListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** The taskq runs are submitted through (required). */
        public Builder taskq(Taskq taskq) {
            this.taskq = Objects.requireNonNull(taskq, "taskq");
            return this;
        }

        /**
         * Where entries are kept, shared by all instances. Default: a new in-memory store, which suits one
         * instance in one JVM; the scheduler closes a store it created, not one passed in.
         */
        public Builder store(ScheduleStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The lease store for leader election; default: the taskq's broker, if it implements {@link Leases}. */
        public Builder leases(Leases leases) {
            this.leases = Objects.requireNonNull(leases, "leases");
            return this;
        }

        /** The clock for due times and audit records; default: the taskq's clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** This instance's id in the lease; default: {@code pid@host} plus a random suffix. Must be unique. */
        public Builder instanceId(String instanceId) {
            this.instanceId = nonBlank(instanceId, "instanceId");
            return this;
        }

        /** The lease's name; instances with the same name and store elect one leader (default "taskq.scheduler"). */
        public Builder leaseName(String leaseName) {
            this.leaseName = nonBlank(leaseName, "leaseName");
            return this;
        }

        /**
         * How long the lease lasts without renewal (default 15 s): a dead leader is replaced after at most this
         * plus a third of it. The leader renews every third of it.
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = positive(leaseTtl, "leaseTtl");
            return this;
        }

        /**
         * The longest the loop sleeps when nothing is due and no change arrives (default 5 s, and never more than a
         * third of the lease). It bounds how late a change is seen when a notification is lost.
         */
        public Builder maxSleep(Duration maxSleep) {
            this.maxSleep = positive(maxSleep, "maxSleep");
            return this;
        }

        /**
         * How old the most recent due run of an entry may be and still count as late (published whatever the
         * entry's {@link MissedRunPolicy}) rather than missed (default 1 minute, like Quartz's misfire threshold).
         * Keep it above the lease length, so that a leader failover makes the current run late, not missed.
         */
        public Builder misfireGrace(Duration misfireGrace) {
            Objects.requireNonNull(misfireGrace, "misfireGrace");
            if (misfireGrace.isNegative()) {
                throw new IllegalArgumentException("misfireGrace must not be negative");
            }
            this.misfireGrace = misfireGrace;
            return this;
        }

        /**
         * For {@link OverlapPolicy#SKIP_IF_RUNNING}: how long a previous run whose state is unknown (PENDING) is
         * still presumed queued (default 24 h, the in-memory broker's result retention).
         */
        public Builder overlapLookback(Duration overlapLookback) {
            this.overlapLookback = positive(overlapLookback, "overlapLookback");
            return this;
        }

        /**
         * Entries declared in code, upserted at {@link Scheduler#start()}: created if missing, replaced when the
         * declaration changed since it was last applied, left alone otherwise (so run-time edits survive restarts
         * until the code changes). Run state (run count, last run) is always kept.
         */
        public Builder declare(PeriodicTask... tasks) {
            declared.addAll(Arrays.asList(tasks));
            return this;
        }

        /** Entries declared with {@link Periodic} on the {@code @Task} methods of these objects (or classes). */
        public Builder declare(Object... taskObjects) {
            for (Object o : taskObjects) {
                if (o instanceof PeriodicTask p) {
                    declared.add(p);
                } else {
                    declared.addAll(Declarations.scan(o));
                }
            }
            return this;
        }

        /**
         * Whether entries may name tasks that the taskq does not register (default false). By default an entry
         * whose task is not registered with {@link Taskq.Builder#tasks} is refused, when declared ({@link #build()})
         * and when added or updated at run time, since its runs would wait for a worker that does not exist: usually
         * a typo. Set it for a producer-only scheduler, one that publishes tasks that other applications' workers run.
         */
        public Builder allowUnregisteredTasks(boolean allow) {
            this.allowUnregisteredTasks = allow;
            return this;
        }

        /** Adds a listener that hears about leadership, published, missed and skipped runs (for metrics). */
        public Builder listener(SchedulerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the scheduler; call {@link Scheduler#start()} to run it.
         *
         * @throws IllegalStateException if no taskq was set, no lease store is available, two declarations
         *                               share a name, or a declaration names a task the taskq does not register
         *                               (see {@link #allowUnregisteredTasks})
         */
        public Scheduler build() {
            if (taskq == null) {
                throw new IllegalStateException("Scheduler.builder().taskq(...) is required");
            }
            Leases l = leases;
            if (l == null) {
                l = taskq.broker().leases().orElseThrow(() -> new IllegalStateException("the broker "
                        + taskq.broker().getClass().getName() + " offers no leases: set Scheduler.builder().leases(...)"));
            }
            Set<String> names = new HashSet<>();
            for (PeriodicTask p : declared) {
                if (!names.add(p.name())) {
                    throw new IllegalStateException("periodic task '" + p.name() + "' is declared twice");
                }
            }
            boolean ownsStore = store == null;
            ScheduleStore st = ownsStore ? new InMemoryScheduleStore() : store;
            String id = instanceId != null ? instanceId
                    : Ids.processName() + "-" + UUID.randomUUID().toString().substring(0, 8);
            ThreadFactory threads = r -> {
                Thread t = new Thread(r, "taskq-scheduler-" + id);
                t.setDaemon(true);
                return t;
            };
            SchedulerEngine engine = new SchedulerEngine(new SchedulerEngine.Settings(taskq, st, ownsStore, l,
                    clock != null ? clock : taskq.clock(), id, leaseName, leaseTtl, maxSleep, misfireGrace,
                    overlapLookback, List.copyOf(declared), List.copyOf(listeners), allowUnregisteredTasks, threads));
            return new Scheduler(engine, id);
        }

        private static String nonBlank(String v, String what) {
            Objects.requireNonNull(v, what);
            if (v.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return v;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
