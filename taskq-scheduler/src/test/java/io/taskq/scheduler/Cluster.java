package io.taskq.scheduler;

import io.taskq.Task;
import io.taskq.TaskContext;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.contract.MutableClock;
import io.taskq.scheduler.internal.InMemoryScheduleStore;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.EventLog;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Leases;
import io.taskq.spi.MemoryBroker;
import io.taskq.spi.Outcome;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.RenewResult;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Several "application instances" in one JVM: one shared in-memory broker (which is also the lease store), one
 * shared schedule store and one controllable clock; each instance has its own {@link Taskq} and
 * {@link Scheduler}, and can be paused (its enqueues block) or killed (it stops without giving up the lease).
 * Counts every enqueue by task id.
 */
final class Cluster implements AutoCloseable {
    // Longer than any single clock step the tests take, so that a jump alone never expires a live leader's lease.
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration WAIT = Duration.ofSeconds(10);

    final MutableClock clock = new MutableClock();
    final MemoryBroker broker = MemoryBroker.create(clock);
    final InMemoryScheduleStore store = new InMemoryScheduleStore();
    /** Accepted (new) enqueues per task id. */
    final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    /** Every enqueue attempt per task id, duplicates included. */
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** Clock time at which each id was first accepted. */
    final Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
    final Tasks tasks = new Tasks();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final Taskq readerTaskq = Taskq.builder().broker(broker).clock(clock).build();
    private final Scheduler reader = Scheduler.builder().taskq(readerTaskq).store(store).leases(broker)
            .instanceId("reader").allowUnregisteredTasks(true).build();

    /** One application instance. */
    final class Instance implements AutoCloseable {
        final String id;
        final CountingBroker broker;
        final KillableLeases leases;
        final Taskq taskq;
        Scheduler scheduler;

        Instance(String id, Object registered, Consumer<Scheduler.Builder> config) {
            this.id = id;
            this.broker = new CountingBroker();
            this.leases = new KillableLeases();
            this.taskq = Taskq.builder().broker(broker).resultBackend(Cluster.this.broker).clock(clock)
                    .tasks(registered).build();
            Scheduler.Builder b = Scheduler.builder().taskq(taskq).store(store).leases(leases).clock(clock)
                    .instanceId(id).leaseTtl(LEASE).maxSleep(Duration.ofMillis(20));
            config.accept(b);
            this.scheduler = b.build();
        }

        Instance start() {
            scheduler.start();
            return this;
        }

        /** The process dies: the loop stops, but the lease stays taken until it expires. */
        void kill() {
            leases.dead = true;
            scheduler.close();
        }

        /** Enqueues from this instance block until {@link #resume()}. */
        void pause() {
            broker.gate = new CountDownLatch(1);
        }

        void resume() {
            broker.gate.countDown();
        }

        @Override
        public void close() {
            if (broker.gate != null) {
                broker.gate.countDown();
            }
            scheduler.close();
            taskq.close();
        }

        /** The broker as this instance sees it: counts enqueues and can be made to block. */
        final class CountingBroker implements Broker {
            volatile CountDownLatch gate;
            /** When set, every enqueue fails with it (the broker is unreachable). */
            volatile RuntimeException failure;
            final AtomicInteger blocked = new AtomicInteger();

            @Override
            public List<Boolean> enqueue(List<TaskMessage> messages) {
                CountDownLatch g = gate;
                if (g != null) {
                    blocked.incrementAndGet();
                    try {
                        if (!g.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("paused too long");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                RuntimeException f = failure;
                if (f != null) {
                    throw f;
                }
                List<Boolean> out = Cluster.this.broker.enqueue(messages);
                for (int i = 0; i < messages.size(); i++) {
                    String mid = messages.get(i).id();
                    attempts.computeIfAbsent(mid, k -> new AtomicInteger()).incrementAndGet();
                    if (out.get(i)) {
                        // The time first: readers find a run through "accepted", then look its time up.
                        acceptedAt.putIfAbsent(mid, clock.instant());
                        accepted.computeIfAbsent(mid, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return out;
            }

            @Override
            public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
                return Cluster.this.broker.claim(request);
            }

            @Override
            public void markStarted(List<Delivery> deliveries, Instant at) {
                Cluster.this.broker.markStarted(deliveries, at);
            }

            @Override
            public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
                return Cluster.this.broker.renew(consumerId, deliveries, lease);
            }

            @Override
            public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                                 ClaimRequest next) {
                return Cluster.this.broker.finishAndClaim(started, startedAt, outcomes, next);
            }

            @Override
            public void release(List<Delivery> deliveries) {
                Cluster.this.broker.release(deliveries);
            }

            @Override
            public RevokeResult revoke(String queue, String id, String reason) {
                return Cluster.this.broker.revoke(queue, id, reason);
            }

            @Override
            public Optional<QueueAdmin> queueAdmin() {
                return Cluster.this.broker.queueAdmin();
            }

            @Override
            public Optional<EventLog> eventLog() {
                return Cluster.this.broker.eventLog();
            }

            @Override
            public void close() {
            }
        }

        /** The shared leases, except that a dead process neither renews nor releases. */
        final class KillableLeases implements Leases {
            volatile boolean dead;

            @Override
            public boolean tryAcquire(String name, String owner, Duration ttl) {
                return !dead && Cluster.this.broker.tryAcquire(name, owner, ttl);
            }

            @Override
            public void release(String name, String owner) {
                if (!dead) {
                    Cluster.this.broker.release(name, owner);
                }
            }

            @Override
            public Optional<String> holder(String name) {
                return Cluster.this.broker.holder(name);
            }
        }
    }

    /** Tasks the workers run; they record each execution by task id. */
    public static final class Tasks {
        final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
        volatile CountDownLatch slowGate = new CountDownLatch(0);

        @Task(name = "tick")
        public void tick() {
            record();
        }

        @Task(name = "echo")
        public String echo(String text, int times) {
            record();
            return text.repeat(times);
        }

        @Task(name = "slow")
        public void slow() throws InterruptedException {
            record();
            slowGate.await(30, TimeUnit.SECONDS);
        }

        private void record() {
            String id = TaskContext.current().orElseThrow().taskId();
            executions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    Instance instance(String id) {
        return instance(id, b -> { });
    }

    Instance instance(String id, Consumer<Scheduler.Builder> config) {
        return instance(id, tasks, config);
    }

    /** An instance whose taskq registers the tasks of {@code registered} instead of {@link #tasks}. */
    Instance instance(String id, Object registered, Consumer<Scheduler.Builder> config) {
        Instance i = new Instance(id, registered, config);
        closeables.add(i);
        return i;
    }

    /** Starts a worker on an instance's taskq. */
    void startWorker(Instance on) {
        on.taskq.startWorker(WorkerOptions.builder().concurrency(4).queues("default")
                .claimWait(Duration.ofMillis(50)).build());
    }

    /**
     * An entry running every minute whose runs show that the leader has processed a minute. Run-all, so that a
     * clock jump over several minutes still publishes the run of each minute, the one {@link #stepTo} waits for.
     */
    static PeriodicTask canary() {
        return PeriodicTask.builder("canary", "tick", Schedule.every(Duration.ofMinutes(1)))
                .missedRuns(MissedRunPolicy.runAll(1_000)).build();
    }

    /**
     * Moves the clock to {@code t} (a minute boundary, with the {@link #canary()} entry present) and waits until the
     * leader has dealt with everything due by then, so that a run that did not happen can be asserted.
     */
    void stepTo(Instant t) {
        advanceTo(t);
        awaitAccepted(Scheduler.runId("canary", t));
        awaitCaughtUp();
    }

    /** Waits until no enabled, readable entry is due any more. */
    void awaitCaughtUp() {
        Instant now = clock.instant();
        Await.until(WAIT, "leader caught up to " + now, () -> entries().stream()
                .map(PeriodicTaskInfo::nextRunAt)
                .filter(Objects::nonNull)
                .allMatch(next -> next.isAfter(now)));
    }

    /**
     * The readable entries as the shared store has them now, read through a scheduler that is never started (as
     * an admin tool would): a disabled entry has no next run.
     */
    List<PeriodicTaskInfo> entries() {
        return reader.entries();
    }

    int accepted(String id) {
        AtomicInteger n = accepted.get(id);
        return n == null ? 0 : n.get();
    }

    /** Ids accepted whose name starts with {@code sched:<entry>:}. */
    List<String> runsOf(String entry) {
        List<String> out = new ArrayList<>();
        accepted.keySet().stream().filter(k -> k.startsWith("sched:" + entry + ":")).sorted().forEach(out::add);
        return out;
    }

    void awaitAccepted(String id) {
        Await.until(WAIT, "run " + id + " published", () -> accepted(id) > 0);
    }

    /** Moves the clock to {@code at} plus a millisecond (the clock only moves forward). */
    void advanceTo(Instant at) {
        Duration d = Duration.between(clock.instant(), at).plusMillis(1);
        if (!d.isNegative()) {
            clock.advance(d);
        }
    }

    Instance awaitLeader(Instance... among) {
        return Await.value(WAIT, "a leader", () -> {
            Instance found = null;
            for (Instance i : among) {
                if (i.scheduler.isLeader()) {
                    if (found != null) {
                        return null;
                    }
                    found = i;
                }
            }
            return found;
        });
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        reader.close();
        readerTaskq.close();
        broker.close();
    }
}
