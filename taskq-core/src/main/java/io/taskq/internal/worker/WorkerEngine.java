package io.taskq.internal.worker;

import io.taskq.Worker;
import io.taskq.WorkerInfo;
import io.taskq.WorkerOptions;
import io.taskq.WorkerTask;
import io.taskq.internal.ArgsRepr;
import io.taskq.internal.DataCodec;
import io.taskq.internal.Envelope;
import io.taskq.internal.Ids;
import io.taskq.internal.TaskRegistry;
import io.taskq.internal.TaskqVersion;
import io.taskq.internal.WorkerExtensions;
import io.taskq.spi.Broker;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: one fetch thread that claims as many tasks as there are free slots plus the room left among the held
 * tasks ({@link WorkerOptions#prefetch()}; with adaptive prefetch only while tasks are short, see
 * {@link AdaptivePrefetch}), a pool of task threads, a reporter thread for batched outcomes, and a timer thread for
 * lease renewal, time limits and heartbeats.
 *
 * <p>This class creates the parts, each with one job, and starts and stops them: {@link ClaimLoop} (claiming),
 * {@link Slots} (slots, held tasks, claim permits), {@link AttemptRunner} with {@link Invocation} and
 * {@link Outcomes} (running an attempt, through the {@link InvocationChain} of interceptors, retries decided by
 * {@link RetryDecider}), {@link LeaseKeeper} (leases, revokes, time limits, abandoned threads),
 * {@link OutcomeReporter} with {@link BrokerBatcher} (reporting outcomes), {@link Heartbeat} (the worker registry)
 * and {@link Shutdown} (close);
 * {@link WorkerEvents} tells the application's listeners of the transitions.
 * {@link io.taskq.Taskq#startWorker} creates it and calls {@link #start()}.
 */
public final class WorkerEngine implements Worker {
    /** MDC key of the running task's id. */
    public static final String MDC_TASK_ID = "taskq.taskId";
    /** MDC key of the running task's name. */
    public static final String MDC_TASK_NAME = "taskq.taskName";
    /** MDC key of the running attempt's number (claims so far, this one included). */
    public static final String MDC_ATTEMPT = "taskq.attempt";
    /** MDC key of the id of the worker running the task. */
    public static final String MDC_WORKER = "taskq.worker";

    private static final Logger log = LoggerFactory.getLogger(WorkerEngine.class);
    private static final AtomicInteger WORKER_SEQ = new AtomicInteger();

    private final WorkerContext ctx;
    private final Slots slots;
    private final QueueSelection queues;
    private final ClaimLoop claimLoop;
    private final OutcomeReporter reporter;
    private final LeaseKeeper leases;
    private final AttemptRunner runner;
    private final Heartbeat heartbeat;
    private final Shutdown shutdown;
    private final AtomicBoolean started = new AtomicBoolean();
    /** The application's name for the registry, or null. */
    private final String application;
    /** Set by start(). */
    private volatile Instant startedAt;
    /** How the arguments show in remote-control listings. */
    private final ArgsRepr argsRepr;

    /**
     * Creates a worker on the system ticker with daemon threads; {@link #start()} starts it.
     *
     * @param data        decodes the arguments and encodes the results
     * @param extensions  the interceptors, listeners and retry policies of the application
     * @param application the application's name for the worker registry, or null
     */
    public WorkerEngine(Broker broker, TaskRegistry registry, Clock clock, WorkerOptions options, DataCodec data,
                        WorkerExtensions extensions, String application) {
        this(broker, registry, clock, options, data, extensions, Ticker.system(), WorkerEngine::daemon, application);
    }

    /**
     * Creates a worker; no thread starts before {@link #start()}.
     *
     * @param clock   wall-clock time: records, expiry, retry times
     * @param ticker  elapsed time: deadlines, held tasks' age, run times, the fetch loop's health
     * @param threads makes every thread of the worker (each is named after its role)
     */
    WorkerEngine(Broker broker, TaskRegistry registry, Clock clock, WorkerOptions options, DataCodec data,
                 WorkerExtensions extensions, Ticker ticker, ThreadFactory threads) {
        this(broker, registry, clock, options, data, extensions, ticker, threads, null);
    }

    private WorkerEngine(Broker broker, TaskRegistry registry, Clock clock, WorkerOptions options, DataCodec data,
                         WorkerExtensions extensions, Ticker ticker, ThreadFactory threads, String application) {
        this.application = application;
        this.argsRepr = extensions.argsRepr();
        String id = options.workerId() != null ? options.workerId()
                : Ids.processName() + "#" + WORKER_SEQ.incrementAndGet();
        this.ctx = new WorkerContext(broker, registry, clock, ticker, options, id, new WorkerThreads(threads, id),
                new WorkerEvents(extensions.listeners(), clock, id, extensions.argsRepr()));
        // The parts reach each other through these final fields; none is called before start().
        this.slots = new Slots(ctx, this::startAttempt);
        this.queues = new QueueSelection(options);
        this.claimLoop = new ClaimLoop(ctx, slots, queues);
        this.reporter = new OutcomeReporter(ctx, new BrokerBatcher(broker, ticker, ctx.threads,
                "taskq-report-" + id, claimLoop));
        Outcomes outcomes = new Outcomes(clock, id, new RetryDecider(extensions),
                new FollowUpMessages(broker, clock, data, options.maxMessageBytes(), extensions.followUpLimits()),
                new ChordJoins(broker, clock, data, id, extensions.followUpLimits()));
        this.leases = new LeaseKeeper(ctx, slots, outcomes, reporter, this::completeAbandoned);
        this.runner = new AttemptRunner(ctx, slots, new Invocation(ctx, data, outcomes, reporter, leases,
                new InvocationChain(extensions.interceptors())), reporter);
        this.heartbeat = new Heartbeat(ctx, broker.workerRegistry().orElse(null), this::info,
                extensions.workerEvents());
        this.shutdown = new Shutdown(ctx, claimLoop, slots, reporter, heartbeat);
    }

    private void startAttempt(Attempt a) {
        runner.start(a);
    }

    private void completeAbandoned(Attempt a, Supplier<Outcome> outcome) {
        runner.completeAbandoned(a, outcome);
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts the worker's threads: the reporter, the timer's lease renewal (and, with adaptive prefetch, the check
     * for tasks held too long), and the fetch loop last.
     *
     * @throws IllegalStateException if it was started before
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("worker " + ctx.id + " was started before");
        }
        WorkerOptions options = ctx.options;
        startedAt = ctx.clock.instant().truncatedTo(ChronoUnit.MILLIS);
        reporter.start();
        ctx.threads.every(options.leaseRenewInterval().toMillis(), leases::renewLeases);
        if (slots.adaptive()) {
            ctx.threads.every(TimeUnit.NANOSECONDS.toMillis(AdaptivePrefetch.HELD_TOO_LONG_NANOS) / 2,
                    slots::handBackIfHeldTooLong);
        }
        claimLoop.start();
        heartbeat.start();
        log.info("worker {} started: concurrency {}, prefetch {}{}, queues {} ({})", ctx.id, options.concurrency(),
                slots.adaptive() ? "adaptive up to " : "", options.prefetch(), options.queues(),
                options.queueOrder());
    }

    @Override
    public String id() {
        return ctx.id;
    }

    @Override
    public boolean isHealthy() {
        return ctx.accepting() && claimLoop.healthy() && !ctx.tooManyAbandoned();
    }

    @Override
    public int activeCount() {
        return slots.runningCount();
    }

    @Override
    public int heldCount() {
        return slots.heldCount();
    }

    /**
     * Whether the worker claims beyond its free slots now: always with a fixed prefetch, never without one, and
     * with adaptive prefetch while its tasks are short.
     */
    boolean holdsAhead() {
        return slots.holdsAhead();
    }

    @Override
    public boolean pause(String queue) {
        boolean did = queues.pause(queue);
        if (did) {
            claimLoop.wakeClaim();
            log.info("worker {}: paused queue {} (paused now: {})", ctx.id, queue, queues.paused());
        }
        return did;
    }

    @Override
    public boolean resume(String queue) {
        boolean did = queues.resume(queue);
        if (did) {
            claimLoop.wakeClaim();
            log.info("worker {}: resumed queue {} (paused now: {})", ctx.id, queue, queues.paused());
        }
        return did;
    }

    @Override
    public Set<String> pausedQueues() {
        return queues.paused();
    }

    @Override
    public int concurrency() {
        return slots.concurrency();
    }

    @Override
    public void setConcurrency(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("concurrency must be positive, was " + n);
        }
        int before = slots.resize(n);
        if (before != n) {
            log.info("worker {}: concurrency {} -> {}", ctx.id, before, n);
        }
    }

    @Override
    public int abandonedCount() {
        return ctx.abandonedCount();
    }

    @Override
    public long staleOutcomeCount() {
        return ctx.staleOutcomeCount();
    }

    @Override
    public WorkerInfo info() {
        WorkerOptions o = ctx.options;
        Instant now = ctx.clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return new WorkerInfo(ctx.id, o.nodeName() != null ? o.nodeName() : Ids.processName(), application,
                TaskqVersion.get(), Ids.host(), Ids.pid(), o.queues(), queues.paused(), slots.concurrency(),
                slots.runningCount(), slots.heldCount(), ctx.processedCount(), ctx.succeededCount(),
                ctx.failedCount(), isHealthy(), startedAt != null ? startedAt : now, now, o.heartbeatInterval());
    }

    /** The node name it is known by ({@link WorkerInfo#nodeName()}). */
    public String nodeName() {
        return ctx.options.nodeName() != null ? ctx.options.nodeName() : Ids.processName();
    }

    /** Whether close() has begun: it no longer answers remote control. */
    public boolean closing() {
        return ctx.closed();
    }

    /**
     * The tasks running now (Celery's {@code inspect active}), from a weakly consistent view of the running attempts:
     * no lock the task threads take.
     */
    public List<WorkerTask> activeTasks() {
        List<WorkerTask> out = new ArrayList<>();
        long now = ctx.ticker.read();
        for (Attempt a : slots.runningAttempts()) {
            if (a.settled.get()) {
                continue;
            }
            Instant at = a.startedAt;
            Envelope env = a.envelope;
            out.add(new WorkerTask(a.id(), env != null ? env.task() : a.delivery.task(), a.delivery.queue(),
                    a.delivery.attempt(), at, at == null ? null : Duration.ofNanos(now - a.startedTick),
                    !argsRepr.enabled() ? null : env != null ? argsRepr.of(env.args())
                            : argsRepr.ofMessage(a.delivery.body())));
        }
        return out;
    }

    /** The tasks claimed ahead and held for a free slot, oldest first (Celery's {@code inspect reserved}). */
    public List<WorkerTask> heldTasks() {
        List<WorkerTask> out = new ArrayList<>();
        for (Attempt a : slots.heldAttempts()) {
            Delivery d = a.delivery;
            out.add(new WorkerTask(d.id(), d.task(), d.queue(), d.attempt(), null, null,
                    argsRepr.ofMessage(d.body())));
        }
        return out;
    }

    @Override
    public void close() {
        shutdown.close();
    }
}
