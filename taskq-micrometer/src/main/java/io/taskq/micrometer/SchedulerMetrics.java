package io.taskq.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.SchedulerListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scheduler listener that meters leadership ({@link TaskqMeters#SCHEDULER_LEADER}), publish lag
 * ({@link TaskqMeters#SCHEDULER_LAG}), missed and skipped runs and failed iterations; register it with
 * {@code Scheduler.Builder.listener}:
 *
 * <pre>{@code
 * SchedulerMetrics schedulerMetrics = new SchedulerMetrics(registry);
 * Scheduler scheduler = Scheduler.builder().taskq(taskq).listener(schedulerMetrics).build().start();
 * }</pre>
 *
 * <p>The only class of this module that needs taskq-scheduler (an optional dependency): {@link TaskqMetrics} never
 * refers to it, so an application without a scheduler never loads it. Entry names past the cap are counted as
 * {@link TaskqMeters#OTHER}. Methods return quickly and never throw. Make one per registry and share it between
 * the schedulers of the process (the leader gauge counts the instances that lead). {@link #close()} removes the
 * leader gauge; counters and timers stay.
 */
public final class SchedulerMetrics implements SchedulerListener, AutoCloseable {
    private final MeterRegistry registry;
    private final TagValues entries;
    private final Set<String> leaders = ConcurrentHashMap.newKeySet();
    private final Gauge leader;
    private final Map<String, Timer> lags = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** Meters in {@code registry}, at most 1000 entries with series of their own. */
    public SchedulerMetrics(MeterRegistry registry) {
        this(registry, 1000);
    }

    /** Meters in {@code registry}, at most {@code maxEntries} entries with series of their own. */
    public SchedulerMetrics(MeterRegistry registry, int maxEntries) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.entries = new TagValues(TaskqMeters.ENTRY, maxEntries);
        this.leader = Gauge.builder(TaskqMeters.SCHEDULER_LEADER, leaders, Set::size)
                .description("Scheduler instances of this process that hold the scheduler lease")
                .strongReference(true).register(registry);
    }

    @Override
    public void leadershipChanged(String instanceId, boolean leader) {
        if (leader) {
            leaders.add(instanceId);
        } else {
            leaders.remove(instanceId);
        }
    }

    @Override
    public void runPublished(String entry, String runId, Instant dueAt, Instant publishedAt) {
        Duration lag = Duration.between(dueAt, publishedAt);
        lags.computeIfAbsent(entries.of(entry), e -> Timer.builder(TaskqMeters.SCHEDULER_LAG)
                .description("From a periodic run's due time to its publish").tag(TaskqMeters.ENTRY, e)
                .register(registry)).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    @Override
    public void runsMissed(String entry, Instant from, Instant until, MissedRunPolicy policy) {
        counter(TaskqMeters.SCHEDULER_RUNS_MISSED, "Times due runs were dropped by the missed-run policy",
                TaskqMeters.ENTRY, entries.of(entry), TaskqMeters.POLICY,
                policy == null ? TaskqMeters.UNKNOWN : policy.kind().name().toLowerCase(Locale.ROOT)).increment();
    }

    @Override
    public void runSkipped(String entry, Instant dueAt, String runningRunId) {
        counter(TaskqMeters.SCHEDULER_RUNS_SKIPPED, "Runs skipped because the previous run had not finished",
                TaskqMeters.ENTRY, entries.of(entry)).increment();
    }

    @Override
    public void iterationFailed(Throwable error) {
        counter(TaskqMeters.SCHEDULER_ERRORS, "Scheduler iterations that failed",
                TaskqMeters.EXCEPTION, error == null ? TaskqMeters.UNKNOWN : TagValues.exception(error.getClass()))
                .increment();
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + '\n' + String.join("\n", tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    /** Removes the leader gauge; counters and timers stay, as cumulative meters do. Idempotent. */
    @Override
    public void close() {
        registry.remove(leader);
    }
}
