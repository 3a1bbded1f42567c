package io.taskq.scheduler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.internal.Json;
import io.taskq.scheduler.PeriodicTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Submits an entry's runs as tasks: their ids, headers and options, from the entry's definition. */
final class RunSubmitter {
    /** Header naming the entry on each published run (the name django-celery-beat uses). */
    static final String HEADER_ENTRY = "periodic_task_name";
    /** Header carrying the scheduled instant of a run (ISO-8601), absent for runs started by hand. */
    static final String HEADER_SCHEDULED_AT = "scheduled_at";

    private final Taskq taskq;

    RunSubmitter(Taskq taskq) {
        this.taskq = taskq;
    }

    /** The task id of a scheduled run: the same on every instance, so the broker drops a second publish. */
    static String runId(String entry, Instant scheduledAt) {
        return "sched:" + entry + ":" + scheduledAt.toEpochMilli();
    }

    /**
     * Submits the scheduled runs {@code at} of the entry stored as {@code entry}, in one batch; their handles in the
     * same order.
     */
    List<TaskHandle<?>> submitScheduled(String entry, PeriodicTask d, List<Instant> at) {
        Object[] args = args(d);
        List<TaskRequest<?>> requests = new ArrayList<>(at.size());
        for (Instant scheduledAt : at) {
            requests.add(request(d, args, runId(entry, scheduledAt))
                    .header(HEADER_SCHEDULED_AT, scheduledAt.toString()));
        }
        return taskq.submitAll(requests);
    }

    /** Submits one run, started by hand, of the entry stored as {@code entry}. */
    @SuppressWarnings("unchecked")
    TaskHandle<Object> submitManual(String entry, PeriodicTask d) {
        // Random, not deterministic: two people pressing "run now" asked for two runs.
        String id = "sched:" + entry + ":manual:" + UUID.randomUUID();
        return (TaskHandle<Object>) taskq.submitAll(List.of(request(d, args(d), id))).get(0);
    }

    private static TaskRequest<Object> request(PeriodicTask d, Object[] args, String id) {
        TaskRequest<Object> r = TaskRequest.named(d.task(), args).id(id).header(HEADER_ENTRY, d.name());
        if (d.queue().isPresent()) {
            r = r.queue(d.queue().get());
        }
        if (d.priority().isPresent()) {
            r = r.priority(d.priority().get());
        }
        if (d.expires().isPresent()) {
            // Relative to publishing, as Celery's expires option: a caught-up missed run gets its full window.
            r = r.expiresIn(d.expires().get());
        }
        return r;
    }

    private static Object[] args(PeriodicTask d) {
        try {
            JsonNode array = Json.mapper().readTree(d.args());
            Object[] out = new Object[array.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = array.get(i);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("arguments of periodic task '" + d.name() + "' are not a JSON array", e);
        }
    }
}
