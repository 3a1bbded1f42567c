package io.taskq.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskq.QueueStats;
import io.taskq.spi.QueueAdmin;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue-depth gauges and the age of each queue's oldest ready task: {@link #poll()} reads every queue's stats
 * from the queue administration and keeps them; the gauges read what was kept. A scrape therefore never reaches the
 * broker, and a broker that fails makes the counts unknown (NaN) and counts the failure, rather than failing the
 * scrape.
 */
final class QueueGauges {
    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    /** The counts last polled for one queue; NaN until the first poll and after a failed one. */
    private static final class Counts {
        volatile double ready = Double.NaN;
        volatile double delayed = Double.NaN;
        volatile double running = Double.NaN;
        volatile double dead = Double.NaN;
        volatile double oldestAge = Double.NaN;

        void set(QueueStats s) {
            ready = s.ready();
            delayed = s.delayed();
            running = s.inFlight();
            dead = s.dead();
            oldestAge = s.oldestReadyAge().toNanos() / 1e9;
        }

        void unknown() {
            ready = delayed = running = dead = oldestAge = Double.NaN;
        }
    }

    private record Polled(Counts counts, List<Meter> meters) {
    }

    private final MeterRegistry registry;
    private final TagValues queues;
    private final Map<String, Polled> polled = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private volatile QueueAdmin admin;

    QueueGauges(MeterRegistry registry, TagValues queues) {
        this.registry = registry;
        this.queues = queues;
    }

    /**
     * Sets the administration to poll.
     *
     * @throws IllegalStateException if one was set already: two would report the same queue names
     */
    synchronized void bind(QueueAdmin admin) {
        Objects.requireNonNull(admin, "admin");
        if (this.admin != null) {
            throw new IllegalStateException("the queue gauges are bound already: bind one taskq (one broker"
                    + " namespace) per TaskqMetrics");
        }
        this.admin = admin;
    }

    boolean isBound() {
        return admin != null;
    }

    /** Reads the counts of every queue now; never throws (a failure is counted and logged). */
    synchronized void poll() {
        QueueAdmin a = admin;
        if (a == null) {
            return;
        }
        Set<String> names;
        try {
            names = a.queues();
        } catch (RuntimeException e) {
            failed("the queue list", e);
            polled.values().forEach(p -> p.counts().unknown());
            return;
        }
        for (String queue : names) {
            if (queues.admits(queue)) {
                pollOne(a, queue);
            }
        }
        // A queue the broker no longer lists (its namespace was cleared) takes its gauges with it.
        for (var it = polled.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Polled> e = it.next();
            if (!names.contains(e.getKey())) {
                removeMeters(e.getValue());
                it.remove();
            }
        }
    }

    private void pollOne(QueueAdmin a, String queue) {
        Counts counts = polled.computeIfAbsent(queue, this::register).counts();
        try {
            counts.set(a.stats(queue));
        } catch (RuntimeException e) {
            failed("the counts of queue '" + queue + "'", e);
            counts.unknown();
        }
    }

    private void failed(String what, RuntimeException e) {
        errors.computeIfAbsent(TagValues.exception(e.getClass()), name -> Counter
                .builder(TaskqMeters.QUEUE_POLL_ERRORS).description("Failed polls of the queue counts")
                .tag(TaskqMeters.EXCEPTION, name).register(registry)).increment();
        log.warn("taskq metrics could not read {}: {}", what, e.toString());
    }

    private Polled register(String queue) {
        Counts c = new Counts();
        return new Polled(c, List.of(
                gauge(TaskqMeters.QUEUE_READY, "Tasks ready for a worker", queue, c, x -> x.ready),
                gauge(TaskqMeters.QUEUE_DELAYED, "Tasks waiting for their ETA or retry back-off", queue, c,
                        x -> x.delayed),
                gauge(TaskqMeters.QUEUE_RUNNING, "Tasks claimed by workers", queue, c, x -> x.running),
                gauge(TaskqMeters.QUEUE_DEAD, "Tasks in the dead-letter set", queue, c, x -> x.dead),
                gauge(TaskqMeters.QUEUE_OLDEST_AGE, "How long the longest-waiting task at the head of the queue has"
                        + " been ready", queue, c, x -> x.oldestAge, "seconds")));
    }

    private Meter gauge(String name, String description, String queue, Counts c, ToDoubleFunction<Counts> f) {
        return gauge(name, description, queue, c, f, null);
    }

    private Meter gauge(String name, String description, String queue, Counts c, ToDoubleFunction<Counts> f,
                        String unit) {
        // Strong: the Counts live as long as their entry in polled, which removes the gauges with it.
        return Gauge.builder(name, c, f).description(description).tag(TaskqMeters.QUEUE, queue).baseUnit(unit)
                .strongReference(true).register(registry);
    }

    private void removeMeters(Polled p) {
        p.meters().forEach(registry::remove);
    }

    /** Removes every queue gauge and stops polling (on close): a later {@link #poll()} does nothing. */
    synchronized void close() {
        admin = null;
        polled.values().forEach(this::removeMeters);
        polled.clear();
    }
}
