package io.taskq.dashboard.internal;

import io.taskq.DeadLetter;
import io.taskq.Event;
import io.taskq.TaskInfo;
import io.taskq.TaskState;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tasks page's API: a queue's tasks in one place, page by page ({@code QueueAdmin.tasks}), narrowed by name and
 * final state; one task by id ({@code Taskq.lookup}) with its result, error, attempts, arguments and timeline.
 */
final class TasksApi {
    /** Listing pages one filtered request reads at most, so that a rare name on a huge queue stays bounded. */
    static final int SCAN_PAGES = 10;
    private static final Set<String> FINAL = Set.of("success", "failure", "revoked");

    private final DashboardConfig config;
    private final EventFeed feed;

    TasksApi(DashboardConfig config, EventFeed feed) {
        this.config = config;
        this.feed = feed;
    }

    void register(Router r) {
        r.get("/api/tasks", this::list);
        r.get("/api/tasks/{id}", this::detail);
        r.post("/api/tasks/{id}/revoke", this::revoke);
        r.post("/api/workflows/{root}/revoke", this::revokeWorkflow);
    }

    /**
     * {@code GET /api/tasks?queue=Q&state=S&name=N&order=newest&limit=50&cursor=C}: state is queued, delayed,
     * running, finished, success, failure, revoked or dead (success, failure and revoked narrow the finished ones).
     * Answers {@code {tasks, next, scanned}}; with a name or final state it reads up to {@link #SCAN_PAGES} pages
     * for matches, and {@code next} goes on where it stopped.
     */
    private Object list(Call c) {
        if (c.query("root") != null) {
            return workflow(c.query("root"));
        }
        QueueAdmin admin = config.taskq().queueAdmin();
        String queue = c.query("queue");
        if (queue == null) {
            queue = admin.queues().stream().findFirst().orElse("default");
        }
        String state = c.query("state") == null ? "queued" : c.query("state").toLowerCase(Locale.ROOT);
        TaskLocation.Place place = FINAL.contains(state) ? TaskLocation.Place.FINISHED : place(state);
        TaskState wanted = FINAL.contains(state) ? TaskState.valueOf(state.toUpperCase(Locale.ROOT)) : null;
        String name = c.query("name");
        TaskPage.Order order = "newest".equals(c.query("order")) ? TaskPage.Order.NEWEST_FIRST
                : TaskPage.Order.OLDEST_FIRST;
        int limit = c.intQuery("limit", 50, 1, QueueAdmin.MAX_PAGE);
        boolean filtered = name != null || wanted != null;
        List<TaskSummary> found = new ArrayList<>();
        String cursor = c.query("cursor");
        int scanned = 0;
        int pages = 0;
        do {
            TaskPage page = admin.tasks(queue, place, order, filtered ? QueueAdmin.MAX_PAGE : limit, cursor);
            scanned += page.tasks().size();
            for (TaskSummary s : page.tasks()) {
                if ((name == null || name.equals(s.task()))
                        && (wanted == null || (s.record() != null && s.record().state() == wanted))) {
                    found.add(s);
                }
            }
            cursor = page.next();
            pages++;
        } while (filtered && cursor != null && found.size() < limit && pages < SCAN_PAGES);
        return DashboardJson.of("queue", queue, "state", state, "tasks", found, "next", cursor, "scanned", scanned);
    }

    /**
     * {@code GET /api/tasks?root=R}: the tasks of the workflow whose root is R in every queue and place
     * ({@code Taskq.workflow}, bounded by {@code Taskq.WORKFLOW_PAGES} pages per queue and place): {@code {root,
     * tasks, pages}}.
     */
    private Object workflow(String root) {
        return DashboardJson.of("root", root, "tasks", config.taskq().workflow(root), "pages",
                io.taskq.Taskq.WORKFLOW_PAGES);
    }

    /** {@code POST /api/workflows/{root}/revoke}: revokes the workflow's waiting and running tasks; says how many. */
    private Object revokeWorkflow(Call c) {
        String root = c.param("root");
        long revoked = config.taskq().revokeWorkflow(root, "workflow revoked in the dashboard by " + c.actor());
        return DashboardJson.of("root", root, "revoked", revoked);
    }

    private static TaskLocation.Place place(String state) {
        try {
            return TaskLocation.Place.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state must be queued, delayed, running, finished, success, failure,"
                    + " revoked or dead, was " + state);
        }
    }

    /** {@code GET /api/tasks/{id}[?queue=Q]}: the task, its result, arguments (if allowed) and timeline. */
    private Object detail(Call c) {
        String id = c.param("id");
        String queue = c.query("queue");
        TaskInfo info = queue != null ? config.taskq().handle(queue, id).info()
                : config.taskq().lookup(List.of(id)).get(id);
        if (info == null || info.state() == TaskState.UNKNOWN) {
            throw ApiException.notFound("no task " + id + (queue == null ? "" : " in queue '" + queue + "'")
                    + " (never submitted, or its record expired)");
        }
        boolean seesArgs = c.seesArguments(config);
        Map<String, Object> timeline = feed.timeline(id, seesArgs);
        Object result = null;
        if (info.state() == TaskState.SUCCESS) {
            result = config.taskq().resultBackend().get(info.queue(), id).map(TaskRecord::result)
                    .map(DashboardJson::embed).orElse(null);
        }
        DeadLetter dead = config.taskq().queueAdmin().deadLetter(info.queue(), id).orElse(null);
        Map<String, Object> view = DashboardJson.of("id", info.id(), "queue", info.queue(), "task", info.task(),
                "state", info.state().name(), "attempt", info.attempt(), "retries", info.retries(),
                "worker", info.worker(), "updatedAt", info.updatedAt(), "reason", info.reason(),
                "error", info.error(), "result", result, "progress", info.progress() == null ? null
                        : DashboardJson.of("state", info.progress().state(), "meta",
                        DashboardJson.embed(info.progress().metaJson()), "updatedAt", info.progress().updatedAt()),
                "dead", dead != null, "timeline", timeline);
        view.put("rootId", info.root());
        view.put("parentId", info.parentId());
        view.put("argsHidden", !seesArgs);
        view.put("args", seesArgs ? args(info.queue(), id, timeline, dead) : null);
        return view;
    }

    /**
     * The arguments as the broker and the event stream keep them: the dead letter's message if it is one, else the
     * message the queue holds (ready, delayed or running), else the {@code args} of its task-sent or task-started
     * event (cut to {@code Taskq.Builder.argsRepr}), else null (a finished task's message is not kept).
     */
    @SuppressWarnings("unchecked")
    private Object args(String queue, String id, Map<String, Object> timeline, DeadLetter dead) {
        if (dead != null && dead.body() != null) {
            return DashboardJson.of("source", "dead letter message", "value", DashboardJson.embed(dead.body()));
        }
        var held = config.taskq().queueAdmin().messageBody(queue, id);
        if (held.isPresent()) {
            return DashboardJson.of("source", "queued message", "value", DashboardJson.embed(held.get()));
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) timeline.get("events")) {
            Map<String, String> fields = (Map<String, String>) e.get("fields");
            if (fields.get(Event.F_ARGS) != null) {
                return DashboardJson.of("source", e.get("type") + " event", "value", fields.get(Event.F_ARGS));
            }
        }
        return null;
    }

    private Object revoke(Call c) {
        String id = c.param("id");
        String queue = c.query("queue");
        var handle = queue != null ? config.taskq().handle(queue, id) : config.taskq().handle(id);
        return DashboardJson.of("id", id, "result", handle.revoke("revoked in the dashboard by " + c.actor())
                .toString());
    }
}
