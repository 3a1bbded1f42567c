package io.taskq.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskq.TaskListener;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.spi.Broker;
import io.taskq.spi.QueueAdmin;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * taskq's meters in one Micrometer registry: the entry point of this module.
 *
 * <pre>{@code
 * TaskqMetrics metrics = TaskqMetrics.builder(registry).build();
 * Taskq taskq = Taskq.builder().listener(metrics.listener()).tasks(new Emails()).build();
 * metrics.bind(taskq);                       // queue depth, polled every 15 s
 * metrics.bind(taskq.startWorker());         // per-worker gauges
 * Scheduler.builder().taskq(taskq).listener(new SchedulerMetrics(registry))...;
 * }</pre>
 *
 * <p>Each part is optional: {@link #listener()} (task counters and timers), {@link #bind(Taskq)} (queue gauges),
 * {@link #bind(Worker)} (worker gauges) and {@link #wrap(Broker)} (broker errors). The scheduler's meters are
 * {@link SchedulerMetrics}, apart, so that this class never refers to the optional taskq-scheduler. Tags are
 * bounded: task and queue names past their caps are counted as {@link TaskqMeters#OTHER}, and no meter is tagged
 * with a task id. {@link TaskqMeters} lists every meter. Thread-safe.
 *
 * <p>{@link #close()} stops the queue poll and removes the gauges; counters and timers stay in the registry.
 */
public final class TaskqMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final Duration pollInterval;
    private final ScheduledExecutorService givenExecutor;
    private final TagValues tasks;
    private final TagValues queues;
    private final TaskEventMetrics listener;
    private final QueueGauges queueGauges;
    private final WorkerGauges workerGauges;
    private ScheduledExecutorService ownExecutor;
    private ScheduledFuture<?> poll;
    private boolean closed;

    private TaskqMetrics(Builder b) {
        this.registry = b.registry;
        this.pollInterval = b.pollInterval;
        this.givenExecutor = b.pollExecutor;
        this.tasks = new TagValues(TaskqMeters.TASK, b.maxTaskNames);
        this.queues = new TagValues(TaskqMeters.QUEUE, b.maxQueues);
        this.listener = new TaskEventMetrics(registry, tasks, queues);
        this.queueGauges = new QueueGauges(registry, queues);
        this.workerGauges = new WorkerGauges(registry);
    }

    /** A builder of metrics that register their meters in {@code registry}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /**
     * The task listener that counts submits and attempt outcomes and times runtimes and waits: register it with
     * {@link Taskq.Builder#listener}. It never throws. Always the same instance.
     */
    public TaskListener listener() {
        return listener;
    }

    /**
     * Adds the queue gauges of the taskq's queue administration ({@link Taskq#queueAdmin()}), polled on the
     * {@link Builder#queuePollInterval interval} (the first poll at once).
     *
     * @throws UnsupportedOperationException if the taskq has no queue administration
     * @throws IllegalStateException         if a taskq or queue administration is bound already, or this is closed
     */
    public void bind(Taskq taskq) {
        bind(taskq.queueAdmin());
    }

    /**
     * Adds the gauges of the queues of {@code admin}, polled on the {@link Builder#queuePollInterval interval}.
     *
     * @throws IllegalStateException if a taskq or queue administration is bound already, or this is closed
     */
    public synchronized void bind(QueueAdmin admin) {
        checkOpen();
        queueGauges.bind(admin);
        if (pollInterval.isZero()) {
            return;
        }
        ScheduledExecutorService executor = givenExecutor;
        if (executor == null) {
            ownExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "taskq-metrics-queues");
                t.setDaemon(true);
                return t;
            });
            executor = ownExecutor;
        }
        long millis = pollInterval.toMillis();
        poll = executor.scheduleWithFixedDelay(queueGauges::poll, 0, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Polls the queue counts now, on the calling thread (the timer does the same on its own): for a test, or with a
     * {@link Builder#queuePollInterval zero interval} for polls on your own schedule. Never throws: a broker
     * failure is counted ({@link TaskqMeters#QUEUE_POLL_ERRORS}) and the counts read NaN until the next good poll.
     */
    public void pollQueues() {
        queueGauges.poll();
    }

    /**
     * Adds the gauges of a worker, tagged with its id; {@link #unbind(Worker)} removes them (the gauges hold the
     * worker weakly: a forgotten one reads NaN, and its series stay until {@link #close()}).
     *
     * @throws IllegalStateException if this is closed
     */
    public synchronized void bind(Worker worker) {
        checkOpen();
        workerGauges.bind(worker);
    }

    /** Removes the gauges of a worker, say when it is closed. */
    public void unbind(Worker worker) {
        workerGauges.unbind(worker.id());
    }

    /**
     * {@code broker} wrapped so that failures of its calls are counted ({@link TaskqMeters#BROKER_ERRORS}); pass the
     * result to {@link Taskq.Builder#broker}, with the broker's result backend to
     * {@link Taskq.Builder#resultBackend}. Closing the wrapper closes the broker.
     */
    public MeteredBroker wrap(Broker broker) {
        return new MeteredBroker(Objects.requireNonNull(broker, "broker"), registry);
    }

    /**
     * Stops the queue poll (and its thread, if this made it) and removes the queue, worker and leader gauges.
     * Counters and timers stay registered; the listeners go on counting. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (poll != null) {
            poll.cancel(false);
        }
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
        queueGauges.close();
        workerGauges.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("these taskq metrics are closed");
        }
    }

    /** Builds {@link TaskqMetrics}. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Duration pollInterval = Duration.ofSeconds(15);
        private ScheduledExecutorService pollExecutor;
        private int maxTaskNames = 1000;
        private int maxQueues = 100;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * How often the queue counts are read from the broker (default 15 s; each poll lists the queues and reads
         * each one's counts): scrapes read the last poll, so a scrape never reaches the broker. Zero polls only when
         * {@link TaskqMetrics#pollQueues()} is called.
         */
        public Builder queuePollInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the queue poll interval must not be negative: " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * The executor that polls the queue counts; it stays yours (it is not shut down on close). By default
         * a daemon thread of its own, started by the first {@link TaskqMetrics#bind(Taskq)}.
         */
        public Builder pollExecutor(ScheduledExecutorService executor) {
            this.pollExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Most distinct task names with series of their own (default 1000); later names, such as unknown names in
         * messages, are counted as {@link TaskqMeters#OTHER}.
         */
        public Builder maxTaskNames(int max) {
            this.maxTaskNames = requirePositive(max, "maxTaskNames");
            return this;
        }

        /** Most distinct queue names with series of their own (default 100); later queues count as "other". */
        public Builder maxQueues(int max) {
            this.maxQueues = requirePositive(max, "maxQueues");
            return this;
        }

        private static int requirePositive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, not " + n);
            }
            return n;
        }

        /** The metrics; nothing is registered or started until a part is used or bound. */
        public TaskqMetrics build() {
            return new TaskqMetrics(this);
        }
    }
}
