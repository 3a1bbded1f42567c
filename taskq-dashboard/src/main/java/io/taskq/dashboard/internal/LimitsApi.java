package io.taskq.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.Limits;
import io.taskq.RateLimit;
import io.taskq.spi.LimitStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits page's API, as {@code taskq limits} does it, through {@code Taskq.limits()}: the run-time values in
 * force (docs/limits.md), a task's or a queue's rate, a task's concurrency maximum, clearing one. The limit store
 * keeps no record of who changed a value, so each change is logged (INFO) with {@code dashboard:<user>}.
 */
final class LimitsApi {
    private static final Logger LOG = LoggerFactory.getLogger(LimitsApi.class);

    private final DashboardConfig config;

    LimitsApi(DashboardConfig config) {
        this.config = config;
    }

    void register(Router r) {
        r.get("/api/limits", c -> list());
        r.post("/api/limits/rate", this::rate);
        r.post("/api/limits/concurrency", this::concurrency);
        r.post("/api/limits/clear", this::clear);
    }

    private Limits limits() {
        return config.taskq().limits();
    }

    /** {@code {"available", "overrides": [...]}}; {@code available} false on a broker that enforces no limits. */
    private Object list() {
        Map<String, LimitStore.Setting> overrides;
        try {
            overrides = limits().overrides();
        } catch (UnsupportedOperationException e) {
            return DashboardJson.of("available", false, "overrides", List.of());
        }
        List<Object> view = new ArrayList<>();
        overrides.forEach((name, s) -> view.add(view(name, s)));
        return DashboardJson.of("available", true, "overrides", view);
    }

    /** {@code {"task"} or {"queue"}, "rate": "20/s", "burst"?}: a task's or a queue's rate. */
    private Object rate(Call c) throws IOException {
        String name = target(c);
        RateLimit rate = RateLimit.parse(c.requiredText("rate"));
        JsonNode burst = c.body().get("burst");
        if (burst != null && !burst.isNull() && !(burst.isTextual() && burst.asText().isEmpty())) {
            rate = rate.withBurst(whole(burst, "burst"));
        }
        limits().setRate(name, rate);
        LOG.info("limit {}: rate set to {} by {}", name, rate, c.actor());
        return current(name);
    }

    /** {@code {"task", "max"}}: a task's most running tasks. */
    private Object concurrency(Call c) throws IOException {
        if (c.text("queue") != null) {
            throw ApiException.badRequest("a queue has no concurrency limit; give a task");
        }
        String name = target(c);
        int max = whole(c.body().get("max"), "max");
        limits().setConcurrency(name, max);
        LOG.info("limit {}: most running set to {} by {}", name, max, c.actor());
        return current(name);
    }

    /** {@code {"task"} or {"queue"}}: the declared values apply again; 404 if the limit has no run-time values. */
    private Object clear(Call c) throws IOException {
        String name = target(c);
        if (!limits().overrides().containsKey(name)) {
            throw ApiException.notFound("no run-time values for " + name + ": its declared limits apply");
        }
        limits().clear(name);
        LOG.info("limit {}: run-time values cleared by {}", name, c.actor());
        return DashboardJson.of("limit", name, "cleared", true);
    }

    /** The limit a change names: {@code task:<task>} or {@code queue:<queue>}, exactly one of them. */
    private static String target(Call c) throws IOException {
        String task = blankIsNull(c.text("task"));
        String queue = blankIsNull(c.text("queue"));
        if ((task == null) == (queue == null)) {
            throw ApiException.badRequest("give a task or a queue" + (task != null ? ", not both" : ""));
        }
        return task != null ? Limits.task(task) : Limits.queue(queue);
    }

    private static String blankIsNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int whole(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            throw ApiException.badRequest(field + " is required");
        }
        if (n.isInt()) {
            return n.asInt();
        }
        if (n.isTextual() && n.asText().trim().matches("\\d{1,9}")) {
            return Integer.parseInt(n.asText().trim());
        }
        throw ApiException.badRequest(field + " must be a whole number, was " + n);
    }

    private Object current(String name) {
        LimitStore.Setting s = limits().overrides().get(name);
        return s == null ? DashboardJson.of("limit", name) : view(name, s);
    }

    private static Map<String, Object> view(String name, LimitStore.Setting s) {
        RateLimit r = s.rate();
        int colon = name.indexOf(':');
        return DashboardJson.of("limit", name, "kind", name.substring(0, colon), "name", name.substring(colon + 1),
                "rate", r == null ? null : DashboardJson.of("permits", r.permits(), "period", r.period(),
                        "periodMillis", r.period().toMillis(), "burst", r.burst()),
                "maxRunning", s.maxRunning() == 0 ? null : s.maxRunning());
    }
}
