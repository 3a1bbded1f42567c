package io.taskq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JavaType;
import io.taskq.RetryTaskException;
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
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
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
 * The worker: one fetch thread that claims as many tasks as there are free slots (no prefetch), a pool of task
 * threads, and a timer thread for lease renewal and time limits.
 *
 * <p>Each claimed task becomes an {@link Attempt}. Exactly one party settles an attempt: the task thread when the
 * method returns, the timer when the attempt is abandoned (time limit ignored, lease lost, revoked and not
 * stopping), or {@link #close()} when it hands the task back. Whoever settles frees the slot.
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
    private final String id;
    private final Semaphore slots;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService timer;
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicLong staleOutcomes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object settledSignal = new Object();
    private final Thread fetcher;
    private final BrokerBatcher batcher;
    private volatile boolean accepting = true;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile boolean brokerFailing;

    /** Creates and starts a worker. */
    public WorkerEngine(Broker broker, TaskRegistry registry, Clock clock, WorkerOptions options) {
        this.broker = broker;
        this.registry = registry;
        this.clock = clock;
        this.options = options;
        this.id = options.workerId() != null ? options.workerId() : Ids.processName() + "#" + WORKER_SEQ.incrementAndGet();
        this.slots = new Semaphore(options.concurrency());
        AtomicInteger threadSeq = new AtomicInteger();
        // Unbounded on purpose: slots bound concurrency, and an abandoned thread must not block a new one.
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "taskq-task-" + threadSeq.incrementAndGet()));
        this.batcher = new BrokerBatcher(broker, "taskq-report-" + id, this::refillClaim);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "taskq-timer-" + id));
        long renewMs = options.leaseRenewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::renewLeases, renewMs, renewMs, TimeUnit.MILLISECONDS);
        this.fetcher = daemon(this::fetchLoop, "taskq-fetch-" + id);
        fetcher.start();
        log.info("worker {} started: concurrency {}, queues {} ({})", id, options.concurrency(), options.queues(),
                options.queueOrder());
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
                if (!slots.tryAcquire(options.claimWait().toMillis(), TimeUnit.MILLISECONDS)) {
                    lastLoopNanos = System.nanoTime();
                    continue;
                }
                if (tooManyAbandoned()) {
                    slots.release();
                    continue;
                }
                int n = 1 + slots.drainPermits();
                List<Delivery> claimed;
                try {
                    claimed = broker.claim(new ClaimRequest(id, queueOrder(), n, options.lease(),
                            options.claimWait()));
                } catch (InterruptedException e) {
                    slots.release(n);
                    throw e;
                } catch (RuntimeException e) {
                    slots.release(n);
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
                slots.release(n - claimed.size());
                if (!claimed.isEmpty() && tooManyAbandoned()) {
                    // A thread was abandoned while this claim waited: hand the work to a healthier worker.
                    broker.release(claimed);
                    slots.release(claimed.size());
                    continue;
                }
                for (Delivery d : claimed) {
                    Attempt a = new Attempt(d);
                    running.put(d.id(), a);
                    executor.execute(() -> run(a));
                }
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
     * The claim that refills the slots of {@code freed} finishing tasks in the same broker call as their outcomes
     * (see {@link BrokerBatcher}); null when the worker takes no new work.
     */
    private ClaimRequest refillClaim(int freed) {
        if (!accepting || tooManyAbandoned()) {
            return null;
        }
        return new ClaimRequest(id, queueOrder(), freed, options.lease(), Duration.ZERO);
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
        final AtomicBoolean settled = new AtomicBoolean();
        volatile Thread thread;
        volatile Envelope envelope;
        volatile TaskDefinition definition;
        volatile boolean timedOut;
        volatile boolean leaseLost;
        volatile String revokedReason;
        volatile boolean abandonedThread;
        volatile ScheduledFuture<?> limitTimer;
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
            Outcome outcome = execute(a);
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
                release(a);
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
        a.definition = def;
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
        CurrentTask.bind(new TaskContext(d.id(), env.task(), d.queue(), d.attempt(), env.retries(),
                env.rootId(), env.headers()));
        Duration limit = env.timeLimit() != null ? env.timeLimit() : def.timeLimit();
        if (limit != null) {
            a.limitTimer = timer.schedule(() -> onTimeLimit(a, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.debug("task {} started (attempt {}, retries {})", d.id(), d.attempt(), env.retries());
        Object result;
        try {
            result = def.method().invoke(registered.get().target(), args);
        } catch (InvocationTargetException e) {
            return afterThrow(a, e.getCause(), limit);
        } catch (IllegalAccessException e) {
            return dead(a, Errors.of(e), env.retries());
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
            json = Json.mapper().writeValueAsString(result);
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
                args[i] = Json.mapper().treeToValue(node, types.get(i));
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
        TaskDefinition def = a.definition;
        Throwable cause = error;
        Duration countdown = null;
        boolean retryable;
        if (error instanceof RetryTaskException rte) {
            countdown = rte.countdown();
            retryable = true;
            if (rte.getCause() != null) {
                cause = rte.getCause();
            }
        } else {
            retryable = def.isRetryable(error);
        }
        TaskError taskError = Errors.of(cause);
        if (retryable && env.retries() < def.maxRetries()) {
            Duration delay = countdown != null ? countdown : def.backoff().delay(env.retries());
            Instant at = clock.instant().plus(delay);
            log.info("task {} failed ({}), retry {}/{} in {} ms", a.delivery.id(), taskError,
                    env.retries() + 1, def.maxRetries(), delay.toMillis());
            Envelope next = env.nextRetry();
            return Outcome.retry(a.delivery, new TaskRecord(a.delivery.id(), a.delivery.queue(), env.task(),
                    TaskState.RETRY, null, taskError, next.retries(), a.delivery.attempt(), id, clock.instant(),
                    null), at, next.encode());
        }
        String reason = retryable && def.maxRetries() > 0
                ? "failed after " + (env.retries() + 1) + " attempts (max retries " + def.maxRetries() + "): "
                + taskError
                : (retryable ? "failed: " : "failed, not retryable: ") + taskError;
        log.warn("task {} {}", a.delivery.id(), reason);
        return dead(a, taskError, env.retries(), reason);
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

    /**
     * Reports an outcome to the broker (retrying while the broker is unreachable) and frees the slot, or hands
     * the slot to the task the broker claimed for it in the same call.
     *
     * @return the attempt that now owns the slot, to be run by the caller; null if the slot was freed
     */
    private Attempt complete(Attempt a, Outcome outcome) {
        Attempt next = null;
        try {
            if (outcome != null && !a.leaseLost) {
                Delivery d = finishWithRetry(a, outcome);
                if (d != null) {
                    if (accepting) {
                        next = new Attempt(d);
                        // Registered before this attempt leaves, so the worker never looks idle in between.
                        running.put(d.id(), next);
                    } else {
                        handBack(d);
                    }
                }
            } else if (a.leaseLost) {
                staleOutcomes.incrementAndGet();
                log.warn("task {}: lease lost while running; outcome discarded (another attempt owns it)",
                        a.delivery.id());
            }
        } finally {
            running.remove(a.delivery.id(), a);
            if (next == null) {
                slots.release();
            }
            signalSettled();
        }
        return next;
    }

    private void handBack(Delivery d) {
        try {
            broker.release(List.of(d));
        } catch (RuntimeException e) {
            log.warn("task {}: could not hand back; the lease will expire", d.id(), e);
        }
    }

    /** Reports the outcome; returns the task claimed for the freed slot, if any. */
    private Delivery finishWithRetry(Attempt a, Outcome outcome) {
        long deadline = System.nanoTime() + options.lease().toNanos();
        long pause = 50;
        while (true) {
            try {
                BrokerBatcher.Reply reply = batcher.finish(outcome);
                if (!reply.accepted()) {
                    staleOutcomes.incrementAndGet();
                    log.warn("task {}: broker refused the outcome: lease lost (stale attempt {})",
                            a.delivery.id(), a.delivery.attempt());
                }
                return reply.next();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    log.error("task {}: could not report outcome; the lease will expire and the task run again",
                            a.delivery.id(), e);
                    return null;
                }
                log.warn("task {}: reporting outcome failed, retrying: {}", a.delivery.id(), e.toString());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                pause = Math.min(1000, pause * 2);
            }
        }
    }

    private void release(Attempt a) {
        running.remove(a.delivery.id(), a);
        try {
            broker.release(List.of(a.delivery));
        } catch (RuntimeException e) {
            log.warn("task {}: could not hand back; the lease will expire", a.delivery.id(), e);
        }
        slots.release();
        signalSettled();
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

    private void renewLeases() {
        List<Delivery> live = new ArrayList<>();
        for (Attempt a : running.values()) {
            if (!a.settled.get()) {
                live.add(a.delivery);
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
            Attempt a = running.get(lostId);
            if (a != null && !a.settled.get()) {
                a.leaseLost = true;
                log.warn("task {}: lease lost; stopping this attempt", lostId);
                interruptAndAbandonLater(a, () -> null);
            }
        }
        for (String revokedId : r.revoked()) {
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

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        accepting = false;
        fetcher.interrupt();
        try {
            fetcher.join(options.claimWait().toMillis() + 5000);
            long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
            synchronized (settledSignal) {
                while (!running.isEmpty() && System.nanoTime() < deadline) {
                    settledSignal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            log.info("worker {}: handing {} unfinished task(s) back to the broker", id, handBack.size());
            try {
                broker.release(handBack);
            } catch (RuntimeException e) {
                log.warn("worker {}: hand-back failed; those tasks run again when their lease expires", id, e);
            }
            awaitInterruptedTasks(stopped);
        }
        running.clear();
        batcher.close();
        timer.shutdownNow();
        executor.shutdownNow();
        log.info("worker {} stopped", id);
    }
}
