package io.taskq.scheduler.internal;

import io.taskq.Event;
import io.taskq.Taskq;
import io.taskq.internal.events.PublisherAccess;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the scheduler does, as events of the taskq's event stream ({@code scheduler-*}, see docs/events.md): handed
 * to the taskq's own publisher, which buffers them in the background and drops rather than waits, so that the
 * scheduler's loop never waits for the stream. Nothing is published when the taskq's events are off or its broker
 * keeps no stream. Each event names the scheduler instance ({@code scheduler}); run events name the entry
 * ({@code entry}) and the task ({@code name}, as task events do).
 */
final class SchedulerEvents {
    /** Longest error message an event keeps, as for task events. */
    private static final int MAX_MESSAGE = 500;

    /** Null when nothing is published. */
    private final Consumer<Event> sink;
    private final String instanceId;
    private final Clock clock;

    SchedulerEvents(Consumer<Event> sink, String instanceId, Clock clock) {
        this.sink = sink;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** The events of a scheduler on {@code taskq}: published through its publisher, if it has one. */
    static SchedulerEvents of(Taskq taskq, String instanceId, Clock clock) {
        return new SchedulerEvents(PublisherAccess.publisher(taskq).orElse(null), instanceId, clock);
    }

    /** This instance took the lease ({@code leader}) or lost or gave it up. */
    void leadership(boolean leader, String lease) {
        if (sink != null) {
            Map<String, String> f = fields();
            f.put("lease", lease);
            publish(leader ? Event.SCHEDULER_LEADER : Event.SCHEDULER_FOLLOWER, clock.instant(), f);
        }
    }

    /**
     * A run was submitted and its entry's state saved; {@code lag} is the publish time minus the scheduled time.
     *
     * @param manual whether it was started by hand (run-now) rather than by the schedule
     */
    void published(String entry, PeriodicTask d, String taskId, String queue, Instant scheduledAt,
                   Instant publishedAt, boolean manual) {
        if (sink != null) {
            Map<String, String> f = run(entry, d);
            f.put(Event.F_ID, taskId);
            f.put(Event.F_QUEUE, queue);
            f.put("scheduled_at", scheduledAt.toString());
            f.put("lag_ms", Long.toString(Duration.between(scheduledAt, publishedAt).toMillis()));
            if (manual) {
                f.put("manual", "true");
            }
            publish(Event.SCHEDULER_PUBLISHED, publishedAt, f);
        }
    }

    /** Runs due from {@code from} (the first not published) up to {@code until} were dropped by the policy. */
    void missed(String entry, PeriodicTask d, Instant from, Instant until, MissedRunPolicy policy) {
        if (sink != null) {
            Map<String, String> f = run(entry, d);
            f.put("reason", "missed");
            f.put("from", from.toString());
            f.put("until", until.toString());
            f.put("policy", policy.kind().name().toLowerCase(Locale.ROOT));
            publish(Event.SCHEDULER_MISSED, until, f);
        }
    }

    /** The run due at {@code scheduledAt} was skipped: the run {@code runningId} has not finished. */
    void skipped(String entry, PeriodicTask d, Instant scheduledAt, String runningId, Instant now) {
        if (sink != null) {
            Map<String, String> f = run(entry, d);
            f.put("reason", "running");
            f.put("scheduled_at", scheduledAt.toString());
            f.put("running_id", runningId);
            publish(Event.SCHEDULER_MISSED, now, f);
        }
    }

    /** Submitting the runs due at {@code at} failed with {@code error}; they stay due and are tried again. */
    void failed(String entry, PeriodicTask d, List<Instant> at, RuntimeException error) {
        if (sink != null) {
            Map<String, String> f = run(entry, d);
            f.put("scheduled_at", at.get(0).toString());
            f.put("runs", Integer.toString(at.size()));
            f.put("error_type", error.getClass().getName());
            String m = error.getMessage();
            if (m != null) {
                f.put("error_message", m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m);
            }
            publish(Event.SCHEDULER_FAILED, clock.instant(), f);
        }
    }

    private Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("scheduler", instanceId);
        return f;
    }

    private Map<String, String> run(String entry, PeriodicTask d) {
        Map<String, String> f = fields();
        f.put("entry", entry);
        f.put(Event.F_NAME, d.task());
        return f;
    }

    private void publish(String type, Instant at, Map<String, String> f) {
        sink.accept(Event.of(type, at, f));
    }
}
