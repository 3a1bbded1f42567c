package io.taskq.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskq.TaskEvent;
import io.taskq.TaskListener;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task listener that counts and times task events: submits, attempt outcomes, runtimes and waits. It runs on
 * worker and submitting threads, so a meter is built once per (task, queue, outcome) and looked up afterwards.
 */
final class TaskEventMetrics implements TaskListener {
    private static final Logger log = LoggerFactory.getLogger(TaskEventMetrics.class);
    private static final Map<TaskEvent.Kind, String> OUTCOMES = outcomes();

    /** One series of one meter: outcome is null for the meters without that tag. */
    private record Key(String task, String queue, String outcome) {
    }

    private final MeterRegistry registry;
    private final TagValues tasks;
    private final TagValues queues;
    private final Map<Key, Counter> submitted = new ConcurrentHashMap<>();
    private final Map<Key, Counter> completed = new ConcurrentHashMap<>();
    private final Map<Key, Timer> runtimes = new ConcurrentHashMap<>();
    private final Map<Key, Timer> waits = new ConcurrentHashMap<>();
    private final AtomicBoolean failedBefore = new AtomicBoolean();

    TaskEventMetrics(MeterRegistry registry, TagValues tasks, TagValues queues) {
        this.registry = registry;
        this.tasks = tasks;
        this.queues = queues;
    }

    @Override
    public void onEvent(TaskEvent event) {
        // Metrics must never disturb a task: a registry that throws (a misconfigured MeterFilter, say) is logged,
        // loudly once and quietly after that.
        try {
            record(event);
        } catch (RuntimeException e) {
            if (failedBefore.compareAndSet(false, true)) {
                log.warn("taskq metrics could not record {}; later failures are logged at DEBUG", event, e);
            } else {
                log.debug("taskq metrics could not record {}", event, e);
            }
        }
    }

    private void record(TaskEvent event) {
        String task = tasks.of(event.taskName());
        String queue = queues.of(event.queue());
        switch (event.kind()) {
            case SENT -> submitted.computeIfAbsent(new Key(task, queue, null), this::submittedCounter).increment();
            case STARTED -> recordWait(new Key(task, queue, null), event.waitTime());
            case CLAIMED -> {
                // Claims are counted by the broker (taskq.queue.running); starts are the wait timer's count.
            }
            default -> recordEnd(event, task, queue);
        }
    }

    private void recordWait(Key key, Duration wait) {
        if (wait != null) {
            waits.computeIfAbsent(key, this::waitTimer).record(nonNegative(wait));
        }
    }

    private void recordEnd(TaskEvent event, String task, String queue) {
        Key key = new Key(task, queue, OUTCOMES.get(event.kind()));
        completed.computeIfAbsent(key, this::completedCounter).increment();
        if (event.runtime() != null && timesRuntime(event.kind())) {
            runtimes.computeIfAbsent(key, this::runtimeTimer).record(nonNegative(event.runtime()));
        }
    }

    /** RETRIED and DEAD_LETTERED after a start follow a FAILED that already timed the attempt. */
    private static boolean timesRuntime(TaskEvent.Kind kind) {
        return kind == TaskEvent.Kind.SUCCEEDED || kind == TaskEvent.Kind.FAILED || kind == TaskEvent.Kind.REVOKED
                || kind == TaskEvent.Kind.HANDED_BACK;
    }

    /** Clocks of different machines can make a wait negative; a timer takes none. */
    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private Counter submittedCounter(Key k) {
        return Counter.builder(TaskqMeters.TASKS_SUBMITTED).description("Tasks submitted")
                .tag(TaskqMeters.TASK, k.task()).tag(TaskqMeters.QUEUE, k.queue()).register(registry);
    }

    private Counter completedCounter(Key k) {
        return Counter.builder(TaskqMeters.TASKS_COMPLETED).description("Task attempts that ended, by outcome")
                .tag(TaskqMeters.TASK, k.task()).tag(TaskqMeters.QUEUE, k.queue())
                .tag(TaskqMeters.OUTCOME, k.outcome()).register(registry);
    }

    private Timer runtimeTimer(Key k) {
        return Timer.builder(TaskqMeters.TASK_RUNTIME).description("How long started task attempts ran")
                .tag(TaskqMeters.TASK, k.task()).tag(TaskqMeters.QUEUE, k.queue())
                .tag(TaskqMeters.OUTCOME, k.outcome()).register(registry);
    }

    private Timer waitTimer(Key k) {
        return Timer.builder(TaskqMeters.TASK_WAIT).description("How long tasks waited from send or ETA to start")
                .tag(TaskqMeters.TASK, k.task()).tag(TaskqMeters.QUEUE, k.queue()).register(registry);
    }

    private static Map<TaskEvent.Kind, String> outcomes() {
        Map<TaskEvent.Kind, String> m = new EnumMap<>(TaskEvent.Kind.class);
        for (TaskEvent.Kind k : TaskEvent.Kind.values()) {
            m.put(k, k.name().toLowerCase(Locale.ROOT));
        }
        return m;
    }
}
