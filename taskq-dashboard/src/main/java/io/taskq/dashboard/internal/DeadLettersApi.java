package io.taskq.dashboard.internal;

import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.QueueAdmin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead letters page's API, as {@code taskq dead} does it: a queue's dead letters (newest first, or the matches
 * of a {@link DeadLetterFilter} oldest first, in bounded steps); resubmit one by id or many by filter; delete many by
 * filter; purge all. A dead letter's message (which holds the arguments) only to who may see arguments.
 */
final class DeadLettersApi {
    /** Search steps one listing request takes at most (each reads up to {@link QueueAdmin#MAX_SCAN}). */
    static final int SEARCH_STEPS = 10;

    private final DashboardConfig config;

    DeadLettersApi(DashboardConfig config) {
        this.config = config;
    }

    void register(Router r) {
        r.get("/api/dead", this::list);
        r.post("/api/dead/{queue}/resubmit", this::resubmit);
        r.post("/api/dead/{queue}/delete", this::delete);
        r.post("/api/dead/{queue}/purge", this::purge);
    }

    /** {@code GET /api/dead?queue=Q[&task=&errorType=&olderThan=&newerThan=][&limit=][&cursor=]}. */
    private Object list(Call c) {
        String queue = c.query("queue");
        if (queue == null) {
            throw ApiException.badRequest("queue is required");
        }
        int limit = c.intQuery("limit", 50, 1, QueueAdmin.MAX_PAGE);
        DeadLetterFilter filter = DeadLetterFilter.builder().task(c.query("task")).errorType(c.query("errorType"))
                .olderThan(Durations.parse("olderThan", c.query("olderThan")))
                .newerThan(Durations.parse("newerThan", c.query("newerThan"))).build();
        boolean any = !filter.equals(DeadLetterFilter.all());
        List<DeadLetter> dead = new ArrayList<>();
        String next = c.query("cursor");
        if (any || next != null) {
            QueueAdmin admin = config.taskq().queueAdmin();
            int steps = 0;
            do {
                DeadLetterPage page = admin.findDeadLetters(queue, filter, limit - dead.size(), next);
                dead.addAll(page.deadLetters());
                next = page.next();
            } while (next != null && dead.size() < limit && ++steps < SEARCH_STEPS);
        } else {
            dead.addAll(config.taskq().deadLetters(queue, limit));
        }
        boolean body = c.seesArguments(config);
        List<Object> view = dead.stream().map(d -> (Object) DashboardJson.of("id", d.id(), "queue", d.queue(),
                "task", d.task(), "reason", d.reason(), "deadAt", d.deadAt(), "attempt", d.attempt(),
                "complete", d.isComplete(), "incomplete", d.incomplete(), "body", body ? d.body() : null)).toList();
        return DashboardJson.of("queue", queue, "deadLetters", view, "next", next, "bodyHidden", !body);
    }

    private static DeadLetterFilter filter(Call c) throws IOException {
        return DeadLetterFilter.builder().task(c.text("task")).errorType(c.text("errorType"))
                .olderThan(c.duration("olderThan")).newerThan(c.duration("newerThan")).build();
    }

    /** A filter from the body, or every dead letter with {@code "all": true}; 400 for neither or both. */
    private static DeadLetterFilter chosen(Call c) throws IOException {
        DeadLetterFilter f = filter(c);
        boolean all = c.body().path("all").asBoolean(false);
        boolean any = !f.equals(DeadLetterFilter.all());
        if (any == all) {
            throw ApiException.badRequest("give a filter (task, errorType, olderThan, newerThan) or all: true"
                    + (all ? ", not both" : ""));
        }
        return f;
    }

    /** One by {@code id}, or every match of the filter (or {@code all}), oldest first. */
    private Object resubmit(Call c) throws IOException {
        String queue = c.param("queue");
        String id = c.text("id");
        if (id != null) {
            if (!config.taskq().resubmitDeadLetter(queue, id)) {
                throw ApiException.notFound("queue '" + queue + "' has no dead letter " + id);
            }
            return DashboardJson.of("queue", queue, "id", id, "resubmitted", 1);
        }
        return DashboardJson.of("queue", queue, "resubmitted",
                config.taskq().resubmitDeadLetters(queue, chosen(c), Long.MAX_VALUE));
    }

    /** One by {@code id}, or every match of the filter (or {@code all}). */
    private Object delete(Call c) throws IOException {
        String queue = c.param("queue");
        String id = c.text("id");
        if (id != null) {
            if (!config.taskq().queueAdmin().deleteDeadLetter(queue, id)) {
                throw ApiException.notFound("queue '" + queue + "' has no dead letter " + id);
            }
            return DashboardJson.of("queue", queue, "id", id, "deleted", 1);
        }
        return DashboardJson.of("queue", queue, "deleted",
                config.taskq().deleteDeadLetters(queue, chosen(c), Long.MAX_VALUE));
    }

    private Object purge(Call c) throws IOException {
        String queue = c.param("queue");
        if (!queue.equals(c.text("confirm"))) {
            throw ApiException.badRequest("to purge the dead letters, confirm with the queue's name ('" + queue + "')");
        }
        return DashboardJson.of("queue", queue, "purged", config.taskq().purgeDeadLetters(queue));
    }
}
