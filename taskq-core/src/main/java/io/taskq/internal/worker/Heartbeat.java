package io.taskq.internal.worker;

import io.taskq.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.taskq.WorkerInfo;
import io.taskq.spi.WorkerRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the worker listed in the broker's {@link WorkerRegistry}: a heartbeat on the timer, the first at start,
 * each with a time to live of {@link #MISSED_BEATS} intervals, and the entry removed at close. A heartbeat that fails
 * is logged at most once a minute and changes nothing else: tasks never wait for the registry. Tells the event stream
 * too: {@code worker-online} at start, {@code worker-heartbeat} with each heartbeat, {@code worker-offline} at close
 * (Celery's worker events), each with the worker's {@link WorkerInfo}.
 */
final class Heartbeat {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    /** Heartbeats a worker may miss before it drops out of the registry. */
    static final int MISSED_BEATS = 3;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final WorkerContext ctx;
    /** Null when the broker keeps no registry: then nothing is sent. */
    private final WorkerRegistry registry;
    private final Supplier<WorkerInfo> info;
    private final Duration ttl;
    private final Consumer<Event> events;
    /** Guarded by this: set at close, so that a heartbeat still running cannot list the worker again. */
    private boolean stopped;
    /** Guarded by this: ticker time of the last warning, and failures in a row (0: the last heartbeat went). */
    private long warnedAt;
    private int failures;

    Heartbeat(WorkerContext ctx, WorkerRegistry registry, Supplier<WorkerInfo> info, Consumer<Event> events) {
        this.ctx = ctx;
        this.registry = registry;
        this.info = info;
        this.events = events;
        this.ttl = ctx.options.heartbeatInterval().multipliedBy(MISSED_BEATS);
    }

    /** Tells the stream the worker is online and schedules the heartbeats on the worker's timer, the first at once. */
    void start() {
        events.accept(event(Event.WORKER_ONLINE, info.get()));
        ctx.threads.everyFromNow(ctx.options.heartbeatInterval().toMillis(), this::beat);
    }

    /** Sends one heartbeat; never throws (the timer would stop repeating it). */
    synchronized void beat() {
        if (stopped) {
            return;
        }
        WorkerInfo now = info.get();
        events.accept(event(Event.WORKER_HEARTBEAT, now));
        if (registry == null) {
            return;
        }
        try {
            registry.heartbeat(now, ttl);
            if (failures > 0) {
                log.info("worker {}: heartbeats to the worker registry go through again", ctx.id);
                failures = 0;
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        failures++;
        long now = ctx.ticker.read();
        if (failures == 1 || now - warnedAt >= WARN_EVERY_NANOS) {
            warnedAt = now;
            log.warn("worker {}: heartbeat to the worker registry failed ({} in a row; tasks are not"
                    + " affected, the worker drops out of the registry after {}): {}", ctx.id, failures,
                    ttl, e.toString());
        }
    }

    /** Stops the heartbeats and removes the worker's entry; called once the timer is stopped. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        events.accept(event(Event.WORKER_OFFLINE, info.get()));
        if (registry == null) {
            return;
        }
        try {
            registry.remove(ctx.id);
        } catch (RuntimeException e) {
            log.warn("worker {}: could not remove it from the worker registry; it drops out after {}: {}", ctx.id,
                    ttl, e.toString());
        }
    }

    /** A worker event for the stream, its fields those of {@code w} (Celery's worker events carry the same). */
    static Event event(String type, WorkerInfo w) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(Event.F_WORKER, w.id());
        f.put("node", w.nodeName());
        if (w.application() != null) {
            f.put("app", w.application());
        }
        f.put("version", w.version());
        f.put("host", w.host());
        f.put("pid", Long.toString(w.pid()));
        f.put("queues", String.join(",", w.queues()));
        f.put("paused", String.join(",", w.pausedQueues()));
        f.put("concurrency", Integer.toString(w.concurrency()));
        f.put("active", Integer.toString(w.active()));
        f.put("held", Integer.toString(w.held()));
        f.put("processed", Long.toString(w.processed()));
        f.put("failed", Long.toString(w.failed()));
        f.put("freq_ms", Long.toString(w.heartbeatInterval().toMillis()));
        return Event.of(type, w.lastHeartbeat(), f);
    }
}
