package io.taskq.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.TaskHandle;
import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.OverlapPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.ScheduleSpec;
import io.taskq.scheduler.Scheduler;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The periodic tasks page's API (django-celery-beat's admin) through taskq-scheduler's public API, as
 * {@code taskq schedule} does it: list, show, create and edit (all four schedule kinds, validated by
 * {@link Schedule#fromSpec}), enable, disable, delete, run now, the audit trail, and a preview of the next fire times
 * in the entry's zone. Every change is audited as {@code dashboard:<user>}.
 */
final class SchedulesApi {
    /** Fire times a preview shows at most. */
    static final int MAX_PREVIEW = 20;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss xxx '['VV']'",
            Locale.ROOT);

    private final DashboardConfig config;
    private final Scheduler scheduler;

    SchedulesApi(DashboardConfig config) {
        this.config = config;
        this.scheduler = (Scheduler) config.scheduler();
    }

    void register(Router r) {
        r.get("/api/schedules", this::list);
        r.get("/api/schedules/preview", this::preview);
        r.get("/api/schedules/audit", this::audit);
        r.get("/api/schedules/{name}", this::show);
        r.post("/api/schedules", this::create);
        r.put("/api/schedules/{name}", this::edit);
        r.delete("/api/schedules/{name}", this::delete);
        r.post("/api/schedules/{name}/enable", c -> view(scheduler.enable(c.param("name"), c.actor()), c));
        r.post("/api/schedules/{name}/disable", c -> view(scheduler.disable(c.param("name"), c.actor()), c));
        r.post("/api/schedules/{name}/run", this::runNow);
    }

    private Object list(Call c) {
        return scheduler.entries().stream().map(i -> view(i, c)).toList();
    }

    private Object show(Call c) {
        return view(scheduler.entry(c.param("name"))
                .orElseThrow(() -> new NoSuchElementException("no periodic task '" + c.param("name") + "'")), c);
    }

    /** {@code POST /api/schedules}: a new entry from the form's definition; 409 if the name exists. */
    private Object create(Call c) throws IOException {
        String name = c.requiredText("name");
        PeriodicTask.Builder b = PeriodicTask.builder(name, c.requiredText("task"), schedule(c.body().get("spec")));
        apply(b, c);
        return view(scheduler.add(b.build(), c.actor()), c);
    }

    /** {@code PUT /api/schedules/{name}}: the whole definition replaced; run count and last run kept. */
    private Object edit(Call c) throws IOException {
        String name = c.param("name");
        PeriodicTaskInfo current = scheduler.entry(name)
                .orElseThrow(() -> new NoSuchElementException("no periodic task '" + name + "'"));
        PeriodicTask.Builder b = current.task().toBuilder().task(c.requiredText("task"))
                .schedule(schedule(c.body().get("spec")));
        apply(b, c);
        return view(scheduler.update(b.build(), c.actor()), c);
    }

    private void apply(PeriodicTask.Builder b, Call c) throws IOException {
        String args = c.text("args");
        b.argsJson(args == null ? "[]" : args);
        b.queue(c.text("queue"));
        JsonNode priority = c.body().get("priority");
        b.priority(priority == null || priority.isNull() || priority.asText().isEmpty() ? null
                : Integer.valueOf(priority.asInt()));
        b.expires(c.duration("expires"));
        b.enabled(c.body().path("enabled").asBoolean(true));
        b.oneOff(c.body().path("oneOff").asBoolean(false));
        b.description(c.text("description") == null ? "" : c.text("description"));
        String start = c.text("startTime");
        b.startTime(start == null ? null : parseInstant("startTime", start));
        String overlap = c.text("overlap");
        if (overlap != null) {
            b.overlap(OverlapPolicy.valueOf(overlap.toUpperCase(Locale.ROOT)));
        }
        String missed = c.text("missedRuns");
        if (missed != null) {
            b.missedRuns(missed(missed, c.body().path("missedRunsCap").asInt(10)));
        }
    }

    private static MissedRunPolicy missed(String kind, int cap) {
        return switch (kind.toUpperCase(Locale.ROOT)) {
            case "RUN_ONCE" -> MissedRunPolicy.runOnce();
            case "SKIP" -> MissedRunPolicy.skip();
            case "RUN_ALL" -> MissedRunPolicy.runAll(cap);
            default -> throw new IllegalArgumentException("missedRuns must be RUN_ONCE, SKIP or RUN_ALL, was " + kind);
        };
    }

    private static Instant parseInstant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 instant (2026-01-01T00:00:00Z): " + text);
        }
    }

    /** A schedule from the form's spec object, validated with the scheduler's own rules and messages. */
    static Schedule schedule(JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            throw new IllegalArgumentException("spec is required: {\"kind\": \"cron\"|\"interval\"|\"clocked\""
                    + "|\"solar\", ...}");
        }
        return Schedule.fromSpec(new ScheduleSpec(field(spec, "kind"), field(spec, "expression"), field(spec, "zone"),
                field(spec, "every"), field(spec, "anchor"), field(spec, "at"), field(spec, "event"),
                field(spec, "latitude"), field(spec, "longitude")));
    }

    private static String field(JsonNode spec, String name) {
        JsonNode n = spec.get(name);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText().trim();
    }

    /**
     * {@code GET /api/schedules/preview?kind=cron&expression=..&zone=..&count=5}: the schedule's description and its
     * next fire times after now, in its zone (a cron schedule's, else {@code zone} if given, else UTC).
     */
    private Object preview(Call c) {
        com.fasterxml.jackson.databind.node.ObjectNode spec = DashboardJson.MAPPER.createObjectNode();
        for (String f : List.of("kind", "expression", "zone", "every", "anchor", "at", "event", "latitude",
                "longitude")) {
            spec.put(f, c.query(f));
        }
        int count = c.intQuery("count", 5, 1, MAX_PREVIEW);
        String zoneText = c.query("zone");
        ZoneId zone;
        try {
            zone = zoneText == null ? ZoneOffset.UTC : ZoneId.of(zoneText);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone: " + zoneText);
        }
        if (!"cron".equals(c.query("kind"))) {
            spec.putNull("zone");
        }
        Schedule s = schedule(spec);
        List<Map<String, Object>> fires = new ArrayList<>();
        Instant after = config.clock().instant();
        for (int i = 0; i < count; i++) {
            Instant next = s.nextFireAfter(after).orElse(null);
            if (next == null) {
                break;
            }
            fires.add(DashboardJson.of("at", next, "local", LOCAL.format(next.atZone(zone))));
            after = next;
        }
        return DashboardJson.of("describe", s.describe(), "zone", zone.getId(), "fires", fires);
    }

    private Object audit(Call c) {
        boolean args = c.seesArguments(config);
        List<AuditRecord> records = scheduler.audit(c.intQuery("limit", 50, 1, 1000));
        return records.stream().map(a -> DashboardJson.of("at", a.at(), "entry", a.entry(), "action", a.action(),
                "actor", a.actor(), "detail", a.detail(), "changes", changes(a.before(), a.after(), args),
                "before", args ? DashboardJson.embed(a.before()) : null,
                "after", args ? DashboardJson.embed(a.after()) : null)).toList();
    }

    /**
     * What an edit changed, one {@code field: before -> after} per top-level field of the stored definitions that
     * differs; the arguments' values only to who may see them.
     */
    static List<String> changes(String before, String after, boolean withArgs) {
        if (before == null || after == null) {
            return List.of();
        }
        JsonNode b;
        JsonNode a;
        try {
            b = DashboardJson.MAPPER.readTree(before);
            a = DashboardJson.MAPPER.readTree(after);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of();
        }
        java.util.Set<String> fields = new java.util.TreeSet<>();
        b.fieldNames().forEachRemaining(fields::add);
        a.fieldNames().forEachRemaining(fields::add);
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            JsonNode x = b.path(f);
            JsonNode y = a.path(f);
            if (!x.equals(y)) {
                boolean hidden = !withArgs && f.toLowerCase(Locale.ROOT).contains("args");
                out.add(hidden ? f + " changed" : f + ": " + text(x) + " -> " + text(y));
            }
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "none" : n.isValueNode() ? n.asText() : n.toString();
    }

    private Object delete(Call c) {
        String name = c.param("name");
        if (!scheduler.delete(name, c.actor())) {
            throw new NoSuchElementException("no periodic task '" + name + "'");
        }
        return DashboardJson.of("name", name, "deleted", true);
    }

    private Object runNow(Call c) {
        TaskHandle<Object> h = scheduler.runNow(c.param("name"), c.actor());
        return DashboardJson.of("name", c.param("name"), "id", h.id(), "queue", h.queue());
    }

    /** An entry as the page shows it; its arguments only to who may see them. */
    private Map<String, Object> view(PeriodicTaskInfo i, Call c) {
        PeriodicTask p = i.task();
        var spec = p.schedule().toSpec();
        return DashboardJson.of("name", p.name(), "task", p.task(), "schedule", p.schedule().describe(),
                "spec", spec, "args", c.seesArguments(config) ? p.args() : null,
                "queue", p.queue().orElse(null), "priority", p.priority().orElse(null),
                "expires", p.expires().orElse(null), "enabled", p.enabled(), "oneOff", p.oneOff(),
                "startTime", p.startTime().orElse(null), "description", p.description(),
                "missedRuns", p.missedRuns().kind().name(), "missedRunsCap", p.missedRuns().cap(),
                "overlap", p.overlap().name(), "nextRunAt", i.nextRunAt(), "lastRunAt", i.lastRunAt(),
                "lastRunId", i.lastRunId(), "totalRunCount", i.totalRunCount(), "createdAt", i.createdAt(),
                "updatedAt", i.updatedAt());
    }
}
