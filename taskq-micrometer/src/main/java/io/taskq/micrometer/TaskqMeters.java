package io.taskq.micrometer;

/**
 * The names and tag keys of the meters {@link TaskqMetrics} registers, for dashboards, alerts and
 * {@code MeterFilter}s (say, to turn on percentile histograms for {@link #TASK_RUNTIME}). Names follow Micrometer's
 * convention (lowercase, dot-separated; a registry renders them its own way: Prometheus turns
 * {@code taskq.tasks.submitted} into {@code taskq_tasks_submitted_total} and timers into {@code _seconds} series).
 * docs/metrics.md describes each meter.
 */
public final class TaskqMeters {

    /** Counter: tasks submitted (one per task the broker took). Tags: {@link #TASK}, {@link #QUEUE}. */
    public static final String TASKS_SUBMITTED = "taskq.tasks.submitted";
    /**
     * Counter: attempts that ended, per {@link #OUTCOME}: {@code succeeded}, {@code failed}, {@code retried},
     * {@code revoked}, {@code expired}, {@code dead_lettered}, {@code handed_back}. A failed attempt counts as
     * {@code failed} and then as {@code retried} or {@code dead_lettered}. Tags: {@link #TASK}, {@link #QUEUE},
     * {@link #OUTCOME}.
     */
    public static final String TASKS_COMPLETED = "taskq.tasks.completed";
    /**
     * Timer: how long started attempts ran, per {@link #OUTCOME} ({@code succeeded}, {@code failed},
     * {@code revoked}, {@code handed_back}). Tags: {@link #TASK}, {@link #QUEUE}, {@link #OUTCOME}.
     */
    public static final String TASK_RUNTIME = "taskq.task.runtime";
    /** Timer: how long tasks waited from their send (or later ETA) to their start. Tags: {@link #TASK}, {@link #QUEUE}. */
    public static final String TASK_WAIT = "taskq.task.wait";

    /** Gauge: tasks ready for a worker. Tag: {@link #QUEUE}. */
    public static final String QUEUE_READY = "taskq.queue.ready";
    /** Gauge: tasks waiting for their ETA, countdown or retry back-off. Tag: {@link #QUEUE}. */
    public static final String QUEUE_DELAYED = "taskq.queue.delayed";
    /** Gauge: tasks claimed by workers. Tag: {@link #QUEUE}. */
    public static final String QUEUE_RUNNING = "taskq.queue.running";
    /** Gauge: tasks in the dead-letter set. Tag: {@link #QUEUE}. */
    public static final String QUEUE_DEAD = "taskq.queue.dead";
    /**
     * Gauge, seconds: how long the longest-waiting task at the head of the queue has been ready
     * ({@code QueueStats.oldestReadyAge}; 0 when none is ready). Tag: {@link #QUEUE}.
     */
    public static final String QUEUE_OLDEST_AGE = "taskq.queue.oldest.age";
    /** Counter: failed polls of the queue counts. Tag: {@link #EXCEPTION}. */
    public static final String QUEUE_POLL_ERRORS = "taskq.queue.poll.errors";

    /** Gauge: tasks a worker runs now. Tag: {@link #WORKER}. */
    public static final String WORKER_ACTIVE = "taskq.worker.active";
    /** Gauge: tasks a worker claimed ahead of a free slot (prefetch). Tag: {@link #WORKER}. */
    public static final String WORKER_HELD = "taskq.worker.held";
    /** Gauge: threads abandoned by time limits that have not ended yet. Tag: {@link #WORKER}. */
    public static final String WORKER_ABANDONED = "taskq.worker.abandoned";
    /** Gauge: 1 while the worker's fetch loop completes claim cycles, else 0. Tag: {@link #WORKER}. */
    public static final String WORKER_HEALTHY = "taskq.worker.healthy";
    /** Function counter: outcomes the broker refused because the lease had been lost. Tag: {@link #WORKER}. */
    public static final String WORKER_STALE_OUTCOMES = "taskq.worker.stale.outcomes";

    /** Gauge: scheduler instances of this process that hold the scheduler lease (0 or 1 normally). */
    public static final String SCHEDULER_LEADER = "taskq.scheduler.leader";
    /** Timer: publish lag, from a run's due time to its publish. Tag: {@link #ENTRY}. */
    public static final String SCHEDULER_LAG = "taskq.scheduler.lag";
    /** Counter: times due runs were dropped by an entry's missed-run policy. Tags: {@link #ENTRY}, {@link #POLICY}. */
    public static final String SCHEDULER_RUNS_MISSED = "taskq.scheduler.runs.missed";
    /** Counter: runs skipped because the previous run had not finished. Tag: {@link #ENTRY}. */
    public static final String SCHEDULER_RUNS_SKIPPED = "taskq.scheduler.runs.skipped";
    /** Counter: scheduler iterations that failed (store or broker unreachable). Tag: {@link #EXCEPTION}. */
    public static final String SCHEDULER_ERRORS = "taskq.scheduler.errors";

    /**
     * Counter: broker calls that threw, counted by {@link MeteredBroker}. Tags: {@link #OPERATION},
     * {@link #EXCEPTION}, {@link #TRANSIENT}.
     */
    public static final String BROKER_ERRORS = "taskq.broker.errors";

    /** Counter: Redis connections that went down, counted by {@link RedisConnectionMetrics}. */
    public static final String REDIS_DISCONNECTS = "taskq.redis.disconnects";
    /** Counter: attempts to reconnect a Redis connection, counted by {@link RedisConnectionMetrics}. */
    public static final String REDIS_RECONNECT_ATTEMPTS = "taskq.redis.reconnect.attempts";
    /** Counter: reconnect attempts that failed (Redis still unreachable), counted by {@link RedisConnectionMetrics}. */
    public static final String REDIS_RECONNECT_FAILURES = "taskq.redis.reconnect.failures";

    /** Tag: the task name (at most {@link TaskqMetrics.Builder#maxTaskNames} values, then {@value #OTHER}). */
    public static final String TASK = "task";
    /** Tag: the queue name (at most {@link TaskqMetrics.Builder#maxQueues} values, then {@value #OTHER}). */
    public static final String QUEUE = "queue";
    /** Tag: how an attempt ended. */
    public static final String OUTCOME = "outcome";
    /** Tag: the worker id. */
    public static final String WORKER = "worker";
    /** Tag: the scheduler entry's name (at most 1000 values by default, see {@link SchedulerMetrics}). */
    public static final String ENTRY = "entry";
    /** Tag: the missed-run policy kind ({@code run_once}, {@code skip}, {@code run_all}). */
    public static final String POLICY = "policy";
    /** Tag: the broker operation ({@code enqueue}, {@code claim}, {@code finish_and_claim}, ...). */
    public static final String OPERATION = "operation";
    /** Tag: the simple class name of an exception. */
    public static final String EXCEPTION = "exception";
    /** Tag: whether the broker deems the failure transient ({@code true}, {@code false}). */
    public static final String TRANSIENT = "transient";

    /** The tag value that stands for every value past a tag's cap. */
    public static final String OTHER = "other";
    /** The tag value for a task whose name is not known (a claim of a damaged message). */
    public static final String UNKNOWN = "unknown";

    private TaskqMeters() {
    }
}
