package io.taskq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JavaType;
import io.taskq.TaskContext;
import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.TaskTimeLimitExceededException;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.RenewResult;
import io.taskq.spi.TaskRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker: one fetch thread that claims as many tasks as there are free slots plus the room left among the held
 * tasks ({@link WorkerOptions#prefetch()}; with adaptive prefetch only while tasks are short, see
 * {@link AdaptivePrefetch}), a pool of task threads, and a timer thread for lease renewal and time limits.
 *
 * <p>Each claimed task becomes an {@link Attempt}. Exactly one party settles an attempt: the task thread when the
 * method returns, the timer when the attempt is abandoned (time limit ignored, lease lost, revoked and not
 * stopping), or {@link #close()} when it hands the task back. Whoever settles frees the slot.
 *
 * <p>Two budgets: {@code claims} (concurrency + prefetch permits) bounds the tasks this worker holds claimed, each
 * claimed task owning one permit until it leaves the worker; {@code freeSlots} counts the task threads that may
 * start. A claimed task that finds no free slot waits in {@code held}, oldest first, and the first slot to free
 * takes it; so a free slot and a held task never exist at the same time ({@code slotLock} guards both).
 */
public final class WorkerEngine implements Worker {
    /** MDC key of the running task's id. */
    public static final String MDC_TASK_ID = "taskq.taskId";
    /** MDC key of the running task's name. */
    public static final String MDC_TASK_NAME = "taskq.taskName";

    private static final Logger log = LoggerFactory.getLogger(WorkerEngine.class);
    private static final AtomicInteger WORKER_SEQ = new AtomicInteger();

    private final Broker broker;
    private final TaskRegistry registry;
    private final Clock clock;
    private final WorkerOptions options;
    private final DataCodec data;
    private final String id;
    private final AdaptivePrefetch.Budget claims;
    /** Whether tasks may be held beyond the free slots (fixed or adaptive prefetch). */
    private final boolean holds;
    /** Null unless prefetch is adaptive. */
    private final AdaptivePrefetch adaptive;
    private final Object slotLock = new Object();
    /** Run slots not taken; guarded by slotLock. */
    private int freeSlots;
    /** Claimed tasks waiting for a slot, in claim order; guarded by slotLock. */
    private final ArrayDeque<Attempt> held = new ArrayDeque<>();
    /** Outcomes handed to the batcher without waiting (their slot went to a held task) and not answered yet. */
    private final AtomicInteger reportsPending = new AtomicInteger();
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService timer;
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicLong staleOutcomes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Tasks handed back to the broker since close() began, for its one summary line. */
    private final AtomicInteger handedBackAtClose = new AtomicInteger();
    private final Object settledSignal = new Object();
    private final Thread fetcher;
    private final BrokerBatcher batcher;
    private final WorkerEvents events;
    private final InvocationChain chain;
    private final RetryDecider retryDecider;
    private volatile boolean accepting = true;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile boolean brokerFailing;

    /** Creates a worker; {@code data} decodes the arguments and encodes the results. */
    public WorkerEngine(Broker broker, TaskRegistry registry, Clock clock, WorkerOptions options, DataCodec data,
                        WorkerExtensions extensions) {
        this.data = data;
        this.broker = broker;
        this.registry = registry;
        this.clock = clock;
        this.options = options;
        this.id = options.workerId() != null ? options.workerId() : Ids.processName() + "#" + WORKER_SEQ.incrementAndGet();
        this.events = new WorkerEvents(extensions.listeners(), clock, id);
        this.chain = new InvocationChain(extensions.interceptors());
        this.retryDecider = new RetryDecider(extensions);
        this.holds = options.prefetch() > 0;
        // Adaptive: the budget covers the slots alone until tasks prove short (AdaptivePrefetch grows it).
        this.claims = new AdaptivePrefetch.Budget(options.concurrency()
                + (options.adaptivePrefetch() ? 0 : options.prefetch()));
        this.adaptive = options.adaptivePrefetch() && holds ? new AdaptivePrefetch(claims, options.prefetch()) : null;
        this.freeSlots = options.concurrency();
        AtomicInteger threadSeq = new AtomicInteger();
        // Unbounded on purpose: slots bound concurrency, and an abandoned thread must not block a new one.
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "taskq-task-" + threadSeq.incrementAndGet()));
        this.batcher = new BrokerBatcher(broker, "taskq-report-" + id, new BrokerBatcher.Refill() {
            @Override
            public ClaimRequest request(int freed) {
                return refillClaim(freed);
            }

            @Override
            public List<Delivery> claimed(ClaimRequest request, int freed, List<Delivery> claimed) {
                return refilled(request, freed, claimed);
            }
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "taskq-timer-" + id));
        long renewMs = options.leaseRenewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::renewLeases, renewMs, renewMs, TimeUnit.MILLISECONDS);
        if (adaptive != null) {
            long checkMs = TimeUnit.NANOSECONDS.toMillis(AdaptivePrefetch.HELD_TOO_LONG_NANOS) / 2;
            timer.scheduleWithFixedDelay(this::handBackIfHeldTooLong, checkMs, checkMs, TimeUnit.MILLISECONDS);
        }
        this.fetcher = daemon(this::fetchLoop, "taskq-fetch-" + id);
        fetcher.start();
        log.info("worker {} started: concurrency {}, prefetch {}{}, queues {} ({})", id, options.concurrency(),
                adaptive != null ? "adaptive up to " : "", options.prefetch(), options.queues(), options.queueOrder());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isHealthy() {
        long staleAfter = Math.max(3 * options.claimWait().toNanos(), TimeUnit.SECONDS.toNanos(10));
        return accepting && !brokerFailing && System.nanoTime() - lastLoopNanos < staleAfter
                && !tooManyAbandoned();
    }

    @Override
    public int activeCount() {
        return running.size();
    }

    @Override
    public int heldCount() {
        synchronized (slotLock) {
            return held.size();
        }
    }

    /**
     * Whether the worker claims beyond its free slots now: always with a fixed prefetch, never without one, and
     * with adaptive prefetch while its tasks are short (for tests and diagnostics).
     */
    public boolean holdsAhead() {
        return adaptive != null ? adaptive.holding() : holds;
    }

    @Override
    public int abandonedCount() {
        return abandoned.get();
    }

    @Override
    public long staleOutcomeCount() {
        return staleOutcomes.get();
    }

    // ---------------------------------------------------------------- fetching

    private void fetchLoop() {
        int failures = 0;
        while (accepting) {
            try {
                if (tooManyAbandoned()) {
                    // Too many runaway threads: stop taking work until some end (reported by isHealthy()).
                    synchronized (settledSignal) {
                        settledSignal.wait(options.claimWait().toMillis());
                    }
                    continue;
                }
                if (!claims.tryAcquire(options.claimWait().toMillis(), TimeUnit.MILLISECONDS)) {
                    lastLoopNanos = System.nanoTime();
                    continue;
                }
                if (tooManyAbandoned()) {
                    claims.release();
                    continue;
                }
                int n = 1 + claims.takeAll();
                List<Delivery> claimed;
                try {
                    claimed = broker.claim(new ClaimRequest(id, queueOrder(), n, options.lease(),
                            options.claimWait(), startingNow(n, 0)));
                } catch (InterruptedException e) {
                    claims.release(n);
                    throw e;
                } catch (RuntimeException e) {
                    claims.release(n);
                    failures++;
                    brokerFailing = failures > 2;
                    if (failures == 1 || failures % 20 == 0) {
                        log.warn("worker {}: claim failed ({} in a row), retrying: {}", id, failures, e.toString());
                    }
                    Thread.sleep(Math.min(2000, 50L << Math.min(failures, 6)));
                    continue;
                }
                if (failures > 0) {
                    log.info("worker {}: broker reachable again after {} failed claims", id, failures);
                }
                failures = 0;
                brokerFailing = false;
                lastLoopNanos = System.nanoTime();
                claims.release(n - claimed.size());
                events.claimed(claimed);
                if (!claimed.isEmpty() && tooManyAbandoned()) {
                    // A thread was abandoned while this claim waited: hand the work to a healthier worker.
                    broker.release(claimed);
                    events.handedBack(claimed);
                    claims.release(claimed.size());
                    continue;
                }
                place(claimed, 0);
            } catch (InterruptedException e) {
                if (!accepting) {
                    break;
                }
            } catch (RuntimeException e) {
                log.error("worker {}: unexpected error in fetch loop", id, e);
            }
        }
    }

    /**
     * The claim made in the same broker call as a batch of outcomes (see {@link BrokerBatcher}); null when the
     * worker takes no new work. Without prefetch it refills the slots of the {@code freed} threads waiting in the
     * batch, each of which runs the task claimed for it. With prefetch it takes every free claim permit (freed
     * slots and the room among the held tasks), and the claimed tasks are placed like the fetch loop's.
     */
    private ClaimRequest refillClaim(int freed) {
        if (!accepting || tooManyAbandoned()) {
            return null;
        }
        int max = holds ? claims.takeAll() : freed;
        if (max == 0) {
            return null;
        }
        return new ClaimRequest(id, queueOrder(), max, options.lease(), Duration.ZERO,
                holds ? startingNow(max, freed) : max);
    }

    /**
     * How many of {@code n} tasks about to be claimed will start at once (see {@link #place}): the broker marks
     * those started at claim, so that a crash they cause counts against them even before their start report is
     * sent, while the held ones count only once reported started. An estimate (slots may free meanwhile, and the
     * tasks claimed then start without a mark until reported), never below what the slots free now can take.
     *
     * @param waiting threads waiting in a batch for a task of their own
     */
    private int startingNow(int n, int waiting) {
        if (!holds) {
            return n;
        }
        synchronized (slotLock) {
            return held.isEmpty() ? Math.min(n, waiting + freeSlots) : 0;
        }
    }

    /** Takes what a {@link #refillClaim} got; returns what goes to the threads waiting in the batch. */
    private List<Delivery> refilled(ClaimRequest request, int freed, List<Delivery> claimed) {
        events.claimed(claimed);
        if (!holds) {
            return claimed;
        }
        claims.release(request.max() - claimed.size());
        return place(claimed, freed);
    }

    /**
     * Starts claimed tasks on free slots and holds the rest, in claim order; once the worker stops, tasks that
     * find no free slot go back to the broker at once instead. Each task brings its claim permit.
     *
     * @param waiting threads that hold a slot and wait for a task: when nothing is held, the first tasks go to
     *                them (they run them without a hand-off); when tasks are held, those are older and come first
     * @return the tasks for the waiting threads
     */
    private List<Delivery> place(List<Delivery> claimed, int waiting) {
        List<Attempt> start = new ArrayList<>(claimed.size());
        List<Delivery> back = new ArrayList<>();
        List<Delivery> forWaiting;
        synchronized (slotLock) {
            forWaiting = held.isEmpty() ? claimed.subList(0, Math.min(waiting, claimed.size())) : List.of();
            for (Delivery d : claimed.subList(forWaiting.size(), claimed.size())) {
                Attempt a = new Attempt(d);
                if (freeSlots > 0 && held.isEmpty()) {
                    freeSlots--;
                    running.put(d.id(), a);
                    start.add(a);
                } else if (accepting) {
                    a.heldSince = System.nanoTime();
                    held.addLast(a);
                } else {
                    back.add(d);
                }
            }
        }
        for (Attempt a : start) {
            try {
                executor.execute(() -> run(a));
            } catch (RejectedExecutionException e) {
                // Only after close(): the task goes back like any unfinished one.
                if (a.settle()) {
                    release(a);
                }
            }
        }
        if (!back.isEmpty()) {
            handBack(back);
            claims.release(back.size());
        }
        return forWaiting;
    }

    /** The oldest held task, now owning the caller's slot; null if none is held. */
    private Attempt takeHeld() {
        synchronized (slotLock) {
            Attempt h = accepting ? held.pollFirst() : null;
            if (h != null) {
                // Registered before the caller's attempt leaves, so the worker never looks idle in between.
                running.put(h.delivery.id(), h);
            }
            return h;
        }
    }

    /** Gives the caller's slot to the oldest held task (returned, to be run by the caller) or frees it. */
    private Attempt leaveSlot() {
        synchronized (slotLock) {
            Attempt h = takeHeld();
            if (h == null) {
                freeSlots++;
            }
            return h;
        }
    }

    /** Removes a held task (one that has not started), or returns null if it is not held (any more). */
    private Attempt dropHeld(String taskId) {
        Attempt found = null;
        synchronized (slotLock) {
            for (Attempt h : held) {
                if (h.delivery.id().equals(taskId)) {
                    found = h;
                    break;
                }
            }
            if (found != null) {
                held.remove(found);
            }
        }
        if (found != null) {
            found.settle();
            claims.release();
        }
        return found;
    }

    private boolean tooManyAbandoned() {
        return abandoned.get() > options.maxAbandoned();
    }

    private List<String> queueOrder() {
        List<String> queues = options.queues();
        if (options.queueOrder() == WorkerOptions.QueueOrder.STRICT || queues.size() == 1) {
            return queues;
        }
        List<String> left = new ArrayList<>(queues);
        List<String> order = new ArrayList<>(queues.size());
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (!left.isEmpty()) {
            int total = 0;
            for (String q : left) {
                total += options.weight(q);
            }
            int pick = rnd.nextInt(total);
            for (int i = 0; i < left.size(); i++) {
                pick -= options.weight(left.get(i));
                if (pick < 0) {
                    order.add(left.remove(i));
                    break;
                }
            }
        }
        return order;
    }

    // ---------------------------------------------------------------- running

    /** One claim of one task on this worker. */
    private final class Attempt {
        final Delivery delivery;
        final AttemptTrace trace = new AttemptTrace();
        final AtomicBoolean settled = new AtomicBoolean();
        volatile Thread thread;
        volatile Envelope envelope;
        volatile boolean timedOut;
        volatile boolean leaseLost;
        volatile String revokedReason;
        volatile boolean abandonedThread;
        volatile ScheduledFuture<?> limitTimer;
        /** When it was put among the held tasks (System.nanoTime()); guarded by slotLock. */
        long heldSince;
        /** Set when the task thread has left this attempt (returned, threw, or reacted to its interrupt). */
        volatile boolean exited;

        Attempt(Delivery delivery) {
            this.delivery = delivery;
        }

        /** True for the one caller that gets to decide this attempt's outcome. */
        boolean settle() {
            return settled.compareAndSet(false, true);
        }
    }

    /** Runs an attempt, then the attempts claimed for its slot when it finished, on this thread. */
    private void run(Attempt first) {
        Attempt a = first;
        while (a != null) {
            a = runOne(a);
        }
    }

    private Attempt runOne(Attempt a) {
        a.thread = Thread.currentThread();
        Delivery d = a.delivery;
        MDC.put(MDC_TASK_ID, d.id());
        MDC.put(MDC_TASK_NAME, d.task());
        Attempt next = null;
        try {
            long started = System.nanoTime();
            Outcome outcome = execute(a);
            if (adaptive != null) {
                adaptive.ran(System.nanoTime() - started);
            }
            if (a.settle()) {
                // An interrupt aimed at the task (time limit, revoke) must not cut its own report short.
                Thread.interrupted();
                next = complete(a, outcome);
            } else if (a.abandonedThread) {
                abandoned.decrementAndGet();
                log.warn("abandoned task thread of {} ended; its outcome was discarded", d.id());
                signalSettled();
            }
        } catch (RuntimeException | Error e) {
            log.error("worker {}: internal error running {}", id, d.id(), e);
            if (a.settle()) {
                next = release(a);
            }
        } finally {
            if (a.limitTimer != null) {
                a.limitTimer.cancel(false);
            }
            CurrentTask.bind(null);
            MDC.remove(MDC_TASK_ID);
            MDC.remove(MDC_TASK_NAME);
            Thread.interrupted();
            a.exited = true;
            if (closed.get()) {
                signalSettled();
            }
        }
        return next;
    }

    /** Runs the attempt and says how it ends; null when there is nothing to report (lease lost). */
    private Outcome execute(Attempt a) {
        Delivery d = a.delivery;
        Instant now = clock.instant();
        int size = d.body().getBytes(StandardCharsets.UTF_8).length;
        if (size > options.maxMessageBytes()) {
            return dead(a, Errors.of("taskq.MessageTooLarge", "message of " + size
                    + " bytes exceeds the worker's limit of " + options.maxMessageBytes()), 0);
        }
        Envelope env;
        try {
            env = Envelope.decode(d.body());
        } catch (Envelope.MalformedException e) {
            return dead(a, Errors.of("taskq.MalformedMessage", e.getMessage()), 0);
        }
        a.envelope = env;
        MDC.put(MDC_TASK_NAME, env.task());
        var registered = registry.find(env.task());
        if (registered.isEmpty()) {
            return dead(a, Errors.of("taskq.UnknownTask", "no task named '" + env.task()
                    + "' is registered on worker " + id), env.retries());
        }
        TaskDefinition def = registered.get().definition();
        if (env.expires() != null && now.isAfter(env.expires())) {
            log.info("task {} expired at {}; not run", d.id(), env.expires());
            return Outcome.done(d, record(a, TaskState.REVOKED, null, null, "expired"));
        }
        Object[] args;
        try {
            args = decodeArgs(def, env);
        } catch (IllegalArgumentException e) {
            return dead(a, Errors.of("taskq.BadArguments", e.getMessage()), env.retries());
        }
        batcher.started(d, clock.instant());
        events.started(d, a.trace, env);
        CurrentTask.bind(new TaskContext(d.id(), env.task(), d.queue(), d.attempt(), env.retries(),
                env.rootId(), env.headers()));
        Duration limit = env.timeLimit() != null ? env.timeLimit() : def.timeLimit();
        if (limit != null) {
            a.limitTimer = timer.schedule(() -> onTimeLimit(a, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.debug("task {} started (attempt {}, retries {})", d.id(), d.attempt(), env.retries());
        Object result;
        try {
            result = chain.invoke(registered.get(), args);
        } catch (IllegalAccessException e) {
            return dead(a, Errors.of(e), env.retries());
        } catch (Exception | Error e) {
            return afterThrow(a, e, limit);
        }
        if (a.leaseLost) {
            return null;
        }
        if (a.revokedReason != null) {
            return Outcome.done(d, record(a, TaskState.REVOKED, null, null, a.revokedReason));
        }
        if (a.timedOut) {
            return failure(a, timeLimitError(limit));
        }
        if (env.ignoreResult() || def.ignoreResult()) {
            return Outcome.done(d, null);
        }
        String json;
        try {
            json = data.write(result);
        } catch (Exception e) {
            return dead(a, Errors.of("taskq.ResultNotSerializable", "result of type "
                    + (result == null ? "null" : result.getClass().getName()) + " cannot be encoded as JSON: "
                    + e.getMessage()), env.retries());
        }
        log.debug("task {} succeeded", d.id());
        return Outcome.done(d, record(a, TaskState.SUCCESS, json, null, null));
    }

    private Outcome afterThrow(Attempt a, Throwable error, Duration limit) {
        if (a.leaseLost) {
            return null;
        }
        if (a.revokedReason != null) {
            return Outcome.done(a.delivery, record(a, TaskState.REVOKED, null, null, a.revokedReason));
        }
        if (a.timedOut) {
            return failure(a, timeLimitError(limit));
        }
        return failure(a, error);
    }

    private static TaskTimeLimitExceededException timeLimitError(Duration limit) {
        return new TaskTimeLimitExceededException("attempt exceeded its time limit of " + limit);
    }

    private Object[] decodeArgs(TaskDefinition def, Envelope env) {
        List<JavaType> types = def.parameterTypes();
        if (env.args().size() != types.size()) {
            throw new IllegalArgumentException("task '" + def.name() + "' takes " + types.size()
                    + " argument(s), the message has " + env.args().size());
        }
        Object[] args = new Object[types.size()];
        for (int i = 0; i < args.length; i++) {
            JsonNode node = env.args().get(i);
            try {
                args[i] = data.read(node, types.get(i));
            } catch (Exception e) {
                String detail = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                        ? jpe.getOriginalMessage() : e.getMessage();
                throw new IllegalArgumentException("argument " + def.parameterLabel(i) + " of task '" + def.name()
                        + "' cannot be decoded from " + abbreviate(node.toString()) + ": " + detail);
            }
        }
        return args;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    private Outcome failure(Attempt a, Throwable error) {
        Envelope env = a.envelope;
        RetryDecider.Verdict v = retryDecider.decide(a.delivery.id(), env.task(), env.retries(), error);
        if (v.retry()) {
            Instant at = clock.instant().plus(v.delay());
            Envelope next = env.nextRetry();
            return Outcome.retry(a.delivery, new TaskRecord(a.delivery.id(), a.delivery.queue(), env.task(),
                    TaskState.RETRY, null, v.error(), next.retries(), a.delivery.attempt(), id, clock.instant(),
                    null), at, next.encode());
        }
        return dead(a, v.error(), env.retries(), v.reason());
    }

    private Outcome dead(Attempt a, TaskError error, int retries) {
        log.warn("task {} dead-lettered: {}", a.delivery.id(), error);
        return dead(a, error, retries, error.toString());
    }

    private Outcome dead(Attempt a, TaskError error, int retries, String reason) {
        Delivery d = a.delivery;
        String task = a.envelope != null ? a.envelope.task() : d.task();
        return Outcome.dead(d, new TaskRecord(d.id(), d.queue(), task, TaskState.FAILURE, null, error, retries,
                d.attempt(), id, clock.instant(), reason), reason);
    }

    private TaskRecord record(Attempt a, TaskState state, String result, TaskError error, String reason) {
        Delivery d = a.delivery;
        return new TaskRecord(d.id(), d.queue(), a.envelope.task(), state, result, error, a.envelope.retries(),
                d.attempt(), id, clock.instant(), reason);
    }

    /** The outcome of a held task revoked before it started (its message not decoded yet, maybe not decodable). */
    private Outcome revokedBeforeStart(Attempt a) {
        Delivery d = a.delivery;
        try {
            a.envelope = Envelope.decode(d.body());
        } catch (Envelope.MalformedException e) {
            return Outcome.done(d, new TaskRecord(d.id(), d.queue(), d.task(), TaskState.REVOKED, null, null, 0,
                    d.attempt(), id, clock.instant(), a.revokedReason));
        }
        return Outcome.done(d, record(a, TaskState.REVOKED, null, null, a.revokedReason));
    }

    /**
     * Reports an outcome to the broker (retrying while the broker is unreachable) and passes the slot on: to the
     * task the broker claimed for it in the same call (no prefetch), to the oldest held task, or frees it.
     *
     * <p>With prefetch, a held task takes the slot before the report instead of after it: the finishing thread
     * starts it at once and the batcher reports without it ({@link #reportLater}).
     *
     * @return the attempt that now owns the slot, to be run by the caller; null if the slot was freed
     */
    private Attempt complete(Attempt a, Outcome outcome) {
        Attempt next = null;
        // Whether a's claim permit is already released, or went to the task claimed for its slot.
        boolean permitGone = false;
        try {
            if (outcome != null && !a.leaseLost) {
                events.finished(a.delivery, a.trace, outcome);
                if (holds) {
                    // The claim ends with the method, not with the report: its permit lets the claim that
                    // carries the report (or the fetch loop) top up the held tasks.
                    claims.release();
                    permitGone = true;
                    next = takeHeld();
                    if (next != null) {
                        reportLater(a, outcome);
                    } else {
                        // The task claimed for this thread, if any, brings its own permit.
                        next = runNext(finishWithRetry(a, outcome), false);
                    }
                } else {
                    next = runNext(finishWithRetry(a, outcome), true);
                    permitGone = next != null;
                }
            } else if (a.leaseLost) {
                staleOutcomes.incrementAndGet();
                log.warn("task {}: lease lost while running; outcome discarded (another attempt owns it)",
                        a.delivery.id());
            }
        } finally {
            if (next == null) {
                next = leaveSlot();
            }
            running.remove(a.delivery.id(), a);
            if (!permitGone) {
                claims.release();
            }
            signalSettled();
        }
        return next;
    }

    /**
     * The attempt for the task the broker claimed for the caller's slot, registered before the caller's attempt
     * leaves so that the worker never looks idle in between; null if there is none or the worker stopped (the task
     * is handed back then, and its permit released unless the caller's own permit went to it).
     */
    private Attempt runNext(Delivery d, boolean callersPermit) {
        if (d == null) {
            return null;
        }
        if (!accepting) {
            handBack(List.of(d));
            if (!callersPermit) {
                claims.release();
            }
            return null;
        }
        Attempt next = new Attempt(d);
        running.put(d.id(), next);
        return next;
    }

    private void handBack(List<Delivery> ds) {
        try {
            broker.release(ds);
            events.handedBack(ds);
            if (closed.get()) {
                handedBackAtClose.addAndGet(ds.size());
            }
        } catch (RuntimeException e) {
            log.warn("worker {}: could not hand back {}; the lease will expire", id,
                    ds.stream().map(Delivery::id).toList(), e);
        }
    }

    /** Reports the outcome; returns the task claimed for the freed slot, if any. */
    private Delivery finishWithRetry(Attempt a, Outcome outcome) {
        ReportRetry retry = new ReportRetry(a);
        while (true) {
            try {
                BrokerBatcher.Reply reply = batcher.finish(outcome);
                checkAccepted(a, reply);
                return reply.next();
            } catch (RuntimeException e) {
                long pause = retry.pauseAfter(e);
                if (pause < 0) {
                    return null;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /**
     * Reports the outcome of an attempt that no longer owns a slot, without waiting: the batcher sends it and
     * answers on its own thread; while the broker is unreachable the timer tries again, as
     * {@link #finishWithRetry} would. {@link #close()} waits for these reports like for running tasks.
     */
    private void reportLater(Attempt a, Outcome outcome) {
        reportsPending.incrementAndGet();
        sendLater(a, outcome, new ReportRetry(a));
    }

    private void sendLater(Attempt a, Outcome outcome, ReportRetry retry) {
        try {
            batcher.finishLater(outcome, (reply, error) -> {
                if (error == null) {
                    checkAccepted(a, reply);
                    reported();
                } else {
                    retryLater(a, outcome, retry, error);
                }
            });
        } catch (RuntimeException e) {
            retryLater(a, outcome, retry, e);
        }
    }

    private void retryLater(Attempt a, Outcome outcome, ReportRetry retry, RuntimeException error) {
        long pause = retry.pauseAfter(error);
        if (pause < 0) {
            reported();
            return;
        }
        try {
            timer.schedule(() -> sendLater(a, outcome, retry), pause, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.error("task {}: worker stopped before its outcome could be reported; the lease will expire and the"
                    + " task run again", a.delivery.id());
            reported();
        }
    }

    private void reported() {
        reportsPending.decrementAndGet();
        signalSettled();
    }

    private void checkAccepted(Attempt a, BrokerBatcher.Reply reply) {
        if (!reply.accepted()) {
            staleOutcomes.incrementAndGet();
            log.warn("task {}: broker refused the outcome: lease lost (stale attempt {})",
                    a.delivery.id(), a.delivery.attempt());
        }
    }

    /** When to try reporting an outcome again while the broker fails: with backoff, until the lease would end. */
    private final class ReportRetry {
        private final Attempt attempt;
        private final long deadline = System.nanoTime() + options.lease().toNanos();
        private long pause = 50;

        ReportRetry(Attempt attempt) {
            this.attempt = attempt;
        }

        /** The pause before the next try, or -1 to give up (the task runs again after its lease). */
        long pauseAfter(RuntimeException e) {
            if (System.nanoTime() > deadline) {
                log.error("task {}: could not report outcome; the lease will expire and the task run again",
                        attempt.delivery.id(), e);
                return -1;
            }
            log.warn("task {}: reporting outcome failed, retrying: {}", attempt.delivery.id(), e.toString());
            long p = pause;
            pause = Math.min(1000, pause * 2);
            return p;
        }
    }

    /**
     * Hands an attempt that is not running (any more) back to the broker and passes its slot on.
     *
     * @return the held attempt that now owns the slot, to be run by the caller; null if the slot was freed
     */
    private Attempt release(Attempt a) {
        try {
            broker.release(List.of(a.delivery));
            events.handedBack(a.delivery, a.trace);
            if (closed.get()) {
                handedBackAtClose.incrementAndGet();
            }
        } catch (RuntimeException e) {
            log.warn("task {}: could not hand back; the lease will expire", a.delivery.id(), e);
        }
        Attempt next = leaveSlot();
        running.remove(a.delivery.id(), a);
        claims.release();
        signalSettled();
        return next;
    }

    private void signalSettled() {
        synchronized (settledSignal) {
            settledSignal.notifyAll();
        }
    }

    // ---------------------------------------------------------------- stopping attempts

    private void onTimeLimit(Attempt a, Duration limit) {
        if (a.settled.get()) {
            return;
        }
        a.timedOut = true;
        log.warn("task {} exceeded its time limit of {}; interrupting", a.delivery.id(), limit);
        interruptAndAbandonLater(a, () -> failure(a, timeLimitError(limit)));
    }

    /**
     * Interrupts the attempt's thread; if it has not returned after {@code abandonAfter}, settles the attempt with
     * {@code outcome} and gives the slot to new work while the thread is left to end on its own.
     */
    private void interruptAndAbandonLater(Attempt a, java.util.function.Supplier<Outcome> outcome) {
        Thread t = a.thread;
        if (t != null) {
            t.interrupt();
        }
        timer.schedule(() -> {
            if (a.settle()) {
                a.abandonedThread = true;
                int n = abandoned.incrementAndGet();
                log.error("task {} ignored the interrupt for {}; its thread is abandoned ({} abandoned now) and its"
                        + " slot reused", a.delivery.id(), options.abandonAfter(), n);
                if (tooManyAbandoned()) {
                    // The worker stops taking work (see fetchLoop): what it holds goes to a healthier worker, not
                    // to the slot freed here.
                    handBackHeld();
                }
                executor.execute(() -> {
                    MDC.put(MDC_TASK_ID, a.delivery.id());
                    Attempt next;
                    try {
                        next = complete(a, outcome.get());
                    } finally {
                        MDC.remove(MDC_TASK_ID);
                    }
                    run(next);
                });
            }
        }, options.abandonAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Renews the leases of running and held tasks alike: a held task must not be lost behind a long one. */
    private void renewLeases() {
        List<Delivery> live = new ArrayList<>();
        for (Attempt a : running.values()) {
            if (!a.settled.get()) {
                live.add(a.delivery);
            }
        }
        synchronized (slotLock) {
            for (Attempt h : held) {
                live.add(h.delivery);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        RenewResult r;
        try {
            r = broker.renew(id, live, options.lease());
        } catch (RuntimeException e) {
            log.warn("worker {}: lease renewal failed: {}", id, e.toString());
            return;
        }
        for (String lostId : r.lost()) {
            if (dropHeld(lostId) != null) {
                log.warn("task {}: lease lost before it started; not run here (another attempt owns it)", lostId);
                continue;
            }
            Attempt a = running.get(lostId);
            if (a != null && !a.settled.get()) {
                a.leaseLost = true;
                log.warn("task {}: lease lost; stopping this attempt", lostId);
                interruptAndAbandonLater(a, () -> null);
            }
        }
        for (String revokedId : r.revoked()) {
            Attempt h = dropHeld(revokedId);
            if (h != null) {
                h.revokedReason = "revoked";
                log.info("task {} revoked before it started; not run", revokedId);
                reportLater(h, events.finished(h.delivery, h.trace, revokedBeforeStart(h)));
                continue;
            }
            Attempt a = running.get(revokedId);
            if (a != null && !a.settled.get() && a.revokedReason == null) {
                a.revokedReason = "revoked";
                log.info("task {} revoked while running; interrupting", revokedId);
                interruptAndAbandonLater(a, () -> a.envelope == null ? null
                        : Outcome.done(a.delivery, record(a, TaskState.REVOKED, null, null, a.revokedReason)));
            }
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Gives the interrupted tasks a moment (at most {@link #CLOSE_INTERRUPT_WAIT_MS}, and never more than
     * abandonAfter) to react, so that close() returns with them stopped unless they ignore interrupts.
     */
    private void awaitInterruptedTasks(List<Attempt> stopped) {
        long waitMs = Math.min(CLOSE_INTERRUPT_WAIT_MS, options.abandonAfter().toMillis());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        try {
            synchronized (settledSignal) {
                for (Attempt a : stopped) {
                    while (!a.exited && a.thread != null && System.nanoTime() < deadline) {
                        settledSignal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final long CLOSE_INTERRUPT_WAIT_MS = 500;

    /**
     * Adaptive prefetch: when the oldest held task has waited too long for a slot, the tasks ahead of it are long;
     * the worker stops holding and hands what it holds back, so that an idle worker can run it now.
     */
    private void handBackIfHeldTooLong() {
        long waited;
        synchronized (slotLock) {
            Attempt oldest = held.peekFirst();
            if (oldest == null) {
                return;
            }
            waited = System.nanoTime() - oldest.heldSince;
        }
        if (waited >= AdaptivePrefetch.HELD_TOO_LONG_NANOS) {
            adaptive.heldTooLong(waited);
            log.debug("worker {}: a held task waited {} ms for a slot; holding stops until tasks are short again",
                    id, TimeUnit.NANOSECONDS.toMillis(waited));
            handBackHeld();
        }
    }

    /**
     * Hands the held tasks back at once, so that other workers run them now rather than this one during its grace
     * period (after accepting turned false, so that no task is held any more) or while it has too many abandoned
     * threads.
     */
    private void handBackHeld() {
        List<Delivery> back = new ArrayList<>();
        synchronized (slotLock) {
            for (Attempt h : held) {
                h.settle();
                back.add(h.delivery);
            }
            held.clear();
        }
        if (!back.isEmpty()) {
            if (!closed.get()) {
                log.info("worker {}: handing {} held task(s) back to the broker", id, back.size());
            }
            handBack(back);
            claims.release(back.size());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        accepting = false;
        // The fetch loop stops first: the permits of the handed-back tasks must not feed one more claim.
        fetcher.interrupt();
        handBackHeld();
        try {
            fetcher.join(options.claimWait().toMillis() + 5000);
            long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
            synchronized (settledSignal) {
                while ((!running.isEmpty() || reportsPending.get() > 0) && System.nanoTime() < deadline) {
                    settledSignal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reportsPending.get() > 0) {
            log.warn("worker {}: {} outcome report(s) still pending; those tasks run again after their lease", id,
                    reportsPending.get());
        }
        List<Delivery> handBack = new ArrayList<>();
        List<Attempt> stopped = new ArrayList<>();
        for (Attempt a : running.values()) {
            if (a.settle()) {
                handBack.add(a.delivery);
                stopped.add(a);
                Thread t = a.thread;
                if (t != null) {
                    t.interrupt();
                }
            }
        }
        if (!handBack.isEmpty()) {
            try {
                broker.release(handBack);
                stopped.forEach(s -> events.handedBack(s.delivery, s.trace));
                handedBackAtClose.addAndGet(handBack.size());
            } catch (RuntimeException e) {
                log.warn("worker {}: hand-back of {} unfinished task(s) failed; they run again when their lease"
                        + " expires", id, handBack.size(), e);
            }
            awaitInterruptedTasks(stopped);
        }
        running.clear();
        batcher.close();
        timer.shutdownNow();
        executor.shutdownNow();
        int back = handedBackAtClose.get();
        if (back == 0) {
            log.info("worker {} stopped", id);
        } else {
            log.info("worker {} stopped; handed {} unfinished task(s) back to the broker (held, or still running"
                    + " after the shutdown grace of {}); other workers run them", id, back, options.shutdownGrace());
        }
    }
}
