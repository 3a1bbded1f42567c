package io.taskq.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.taskq.Worker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gauges of the workers of this process, tagged with the worker id. The gauges hold their worker weakly (a
 * worker that is gone reads NaN) and {@link #unbind} removes them, so the series are bounded by the workers bound.
 */
final class WorkerGauges {
    private final MeterRegistry registry;
    private final Map<String, List<Meter>> byWorker = new HashMap<>();

    WorkerGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the worker's gauges, replacing those of an earlier worker with the same id. */
    synchronized void bind(Worker worker) {
        Objects.requireNonNull(worker, "worker");
        // The registry hands back an existing meter of the same id, which would read the earlier worker.
        unbind(worker.id());
        Tags tags = Tags.of(TaskqMeters.WORKER, worker.id());
        byWorker.put(worker.id(), List.of(
                Gauge.builder(TaskqMeters.WORKER_ACTIVE, worker, Worker::activeCount)
                        .description("Tasks the worker runs now").tags(tags).register(registry),
                Gauge.builder(TaskqMeters.WORKER_HELD, worker, Worker::heldCount)
                        .description("Tasks claimed ahead of a free slot").tags(tags).register(registry),
                Gauge.builder(TaskqMeters.WORKER_ABANDONED, worker, Worker::abandonedCount)
                        .description("Threads abandoned by time limits, not ended yet").tags(tags).register(registry),
                Gauge.builder(TaskqMeters.WORKER_HEALTHY, worker, w -> w.isHealthy() ? 1 : 0)
                        .description("1 while the fetch loop completes claim cycles").tags(tags).register(registry),
                FunctionCounter.builder(TaskqMeters.WORKER_STALE_OUTCOMES, worker, Worker::staleOutcomeCount)
                        .description("Outcomes refused because the lease had been lost").tags(tags)
                        .register(registry)));
    }

    /** Removes the gauges of the worker with this id, if any. */
    synchronized void unbind(String workerId) {
        List<Meter> meters = byWorker.remove(workerId);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    /** Removes every worker's gauges (on close). */
    synchronized void close() {
        List.copyOf(byWorker.keySet()).forEach(this::unbind);
    }
}
