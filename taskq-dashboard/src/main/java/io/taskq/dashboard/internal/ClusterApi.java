package io.taskq.dashboard.internal;

import io.taskq.Control;
import io.taskq.QueueStats;
import io.taskq.WorkerInfo;
import io.taskq.WorkerTask;
import io.taskq.spi.QueueAdmin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The overview, workers and queues pages' API: counts from the queue administration, the worker registry, and the
 * workers steered through remote control ({@code Taskq.control()}), as {@code taskq workers}, {@code queues} and
 * {@code control} do.
 */
final class ClusterApi {
    private final DashboardConfig config;
    private final EventFeed feed;

    ClusterApi(DashboardConfig config, EventFeed feed) {
        this.config = config;
        this.feed = feed;
    }

    void register(Router r) {
        r.get("/api/overview", this::overview);
        r.get("/api/queues", c -> queues());
        r.post("/api/queues/{queue}/purge", this::purge);
        r.get("/api/workers", c -> workers());
        r.get("/api/workers/active", this::active);
        r.post("/api/workers/pause", c -> onQueue(c, true));
        r.post("/api/workers/resume", c -> onQueue(c, false));
        r.post("/api/workers/concurrency", this::concurrency);
        r.post("/api/workers/shutdown", this::shutdown);
    }

    private Object overview(Call c) {
        List<QueueStats> queues = queues();
        long ready = 0;
        long delayed = 0;
        long running = 0;
        long dead = 0;
        for (QueueStats s : queues) {
            ready += s.ready();
            delayed += s.delayed();
            running += s.inFlight();
            dead += s.dead();
        }
        List<WorkerInfo> workers = workers();
        return DashboardJson.of("queues", queues,
                "totals", DashboardJson.of("ready", ready, "delayed", delayed, "running", running, "dead", dead),
                "workers", workers.size(),
                "concurrency", workers.stream().mapToInt(WorkerInfo::concurrency).sum(),
                "throughput", feed.throughput(), "since", feed.started(), "eventsAvailable", feed.available());
    }

    private List<QueueStats> queues() {
        QueueAdmin admin = config.taskq().queueAdmin();
        List<QueueStats> stats = new ArrayList<>();
        for (String q : admin.queues()) {
            stats.add(admin.stats(q));
        }
        return stats;
    }

    private List<WorkerInfo> workers() {
        try {
            return config.taskq().workers();
        } catch (UnsupportedOperationException e) {
            return List.of();
        }
    }

    /** {@code POST /api/queues/{queue}/purge} with {@code {"confirm": "<the queue's name>"}}. */
    private Object purge(Call c) throws IOException {
        String queue = c.param("queue");
        if (!queue.equals(c.text("confirm"))) {
            throw ApiException.badRequest("to purge, confirm with the queue's name ('" + queue + "')");
        }
        return DashboardJson.of("queue", queue, "purged", config.taskq().purge(queue));
    }

    /** The tasks each worker runs now; their arguments only to who may see them. */
    private Object active(Call c) {
        boolean args = c.seesArguments(config);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Control.Reply<List<WorkerTask>> r : control(c.query("destination")).active().values()) {
            List<Object> tasks = r.ok() && r.value() != null ? r.value().stream().map(t -> (Object) (args ? t
                    : new WorkerTask(t.id(), t.name(), t.queue(), t.attempt(), t.startedAt(), t.runtime(), null)))
                    .toList() : List.of();
            out.add(DashboardJson.of("worker", r.workerId(), "node", r.nodeName(), "ok", r.ok(), "error", r.error(),
                    "tasks", tasks));
        }
        return out;
    }

    private Object onQueue(Call c, boolean pause) throws IOException {
        String queue = c.requiredText("queue");
        Control control = control(c.text("destination"));
        return replies(pause ? control.pause(queue) : control.resume(queue));
    }

    private Object concurrency(Call c) throws IOException {
        com.fasterxml.jackson.databind.JsonNode n = c.body().get("n");
        if (n == null || !n.canConvertToInt() || n.asInt() < 1) {
            throw ApiException.badRequest("n must be a whole number of at least 1");
        }
        return replies(control(c.text("destination")).setConcurrency(n.asInt()));
    }

    /** Shuts down one worker (or node) by name; every worker at once needs {@code "all": true}. */
    private Object shutdown(Call c) throws IOException {
        String destination = c.text("destination");
        if (destination == null && !c.body().path("all").asBoolean(false)) {
            throw ApiException.badRequest("name the worker to shut down (destination), or send all: true");
        }
        return replies(control(destination).shutdown());
    }

    private Control control(String destination) {
        Control control = config.taskq().control();
        return destination == null ? control : control.destination(destination.split(","));
    }

    private static <T> List<Map<String, Object>> replies(Map<String, Control.Reply<T>> replies) {
        return replies.values().stream().map(r -> DashboardJson.of("worker", r.workerId(), "node", r.nodeName(),
                "ok", r.ok(), "value", r.value(), "error", r.error())).toList();
    }
}
