package io.taskq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.Control;
import io.taskq.DeadLetter;
import io.taskq.Event;
import io.taskq.QueueStats;
import io.taskq.TaskError;
import io.taskq.TaskInfo;
import io.taskq.WorkerInfo;
import io.taskq.WorkerTask;
import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.ScheduleSpec;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON documents of {@code --json}: each API value as an ordered map with stable, documented field names
 * (docs/cli.md), so that the CLI's output does not change shape when a record gains a component, and nothing is
 * written with type information. Times are ISO-8601 strings, durations ISO-8601 periods.
 */
final class Views {
    private Views() {
    }

    /** An ordered map of {@code key, value, key, value...}: a small document with its fields in this order. */
    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static Map<String, Object> worker(WorkerInfo w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", w.nodeName());
        m.put("id", w.id());
        m.put("application", w.application());
        m.put("version", w.version());
        m.put("host", w.host());
        m.put("pid", w.pid());
        m.put("queues", w.queues());
        m.put("pausedQueues", w.pausedQueues().stream().sorted().toList());
        m.put("concurrency", w.concurrency());
        m.put("active", w.active());
        m.put("held", w.held());
        m.put("processed", w.processed());
        m.put("succeeded", w.succeeded());
        m.put("failed", w.failed());
        m.put("healthy", w.healthy());
        m.put("startedAt", w.startedAt());
        m.put("lastHeartbeat", w.lastHeartbeat());
        m.put("heartbeatInterval", w.heartbeatInterval());
        return m;
    }

    static Map<String, Object> queue(QueueStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", s.queue());
        m.put("ready", s.ready());
        m.put("delayed", s.delayed());
        m.put("running", s.inFlight());
        m.put("dead", s.dead());
        m.put("oldestReadyAge", s.oldestReadyAge());
        return m;
    }

    /**
     * One worker's reply to {@code inspect} or {@code control}: {@code worker}, {@code node}, {@code ok},
     * {@code value} (the reply's value as {@code view} shows it; null on an error) and {@code error}.
     */
    static <T> Map<String, Object> reply(Control.Reply<T> r, Function<T, Object> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("worker", r.workerId());
        m.put("node", r.nodeName());
        m.put("ok", r.ok());
        m.put("value", r.ok() && r.value() != null ? view.apply(r.value()) : null);
        m.put("error", r.error());
        return m;
    }

    /** A task a worker runs or holds ({@code inspect active} / {@code reserved}); {@code args} is text, maybe cut. */
    static Map<String, Object> workerTask(WorkerTask t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("queue", t.queue());
        m.put("attempt", t.attempt());
        m.put("startedAt", t.startedAt());
        m.put("runtime", t.runtime());
        m.put("args", t.args());
        return m;
    }

    /** A task by id; {@code result} is the result's JSON text (SUCCESS only), embedded as JSON. */
    static Map<String, Object> task(TaskInfo t, String result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("queue", t.queue());
        m.put("task", t.task());
        m.put("state", t.state().name());
        m.put("attempt", t.attempt());
        m.put("retries", t.retries());
        m.put("worker", t.worker());
        m.put("updatedAt", t.updatedAt());
        m.put("reason", t.reason());
        m.put("error", error(t.error()));
        m.put("rootId", t.root());
        m.put("parentId", t.parentId());
        m.put("result", json(result));
        return m;
    }

    static Map<String, Object> error(TaskError e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type());
        m.put("message", e.message());
        m.put("stackTrace", e.stackTrace());
        return m;
    }

    static Map<String, Object> summary(TaskSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("queue", s.queue());
        m.put("place", s.place().name().toLowerCase(Locale.ROOT));
        m.put("task", s.task());
        m.put("priority", s.priority());
        m.put("at", s.at());
        TaskRecord r = s.record();
        m.put("state", r == null ? null : r.state().name());
        m.put("attempt", r == null ? null : r.attempt());
        m.put("retries", r == null ? null : r.retries());
        m.put("worker", r == null ? null : r.worker());
        m.put("reason", r == null ? null : r.reason());
        m.put("error", r == null ? null : error(r.error()));
        m.put("rootId", s.root());
        m.put("parentId", r == null ? null : r.parentId());
        return m;
    }

    static Map<String, Object> deadLetter(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("queue", d.queue());
        m.put("task", d.task());
        m.put("reason", d.reason());
        m.put("deadAt", d.deadAt());
        m.put("attempt", d.attempt());
        m.put("complete", d.isComplete());
        m.put("incomplete", d.incomplete());
        m.put("body", d.body());
        return m;
    }

    static Map<String, Object> event(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("position", e.position());
        m.put("type", e.type());
        m.put("timestamp", e.timestamp());
        m.put("fields", e.fields());
        return m;
    }

    static Map<String, Object> entry(PeriodicTaskInfo i) {
        Map<String, Object> m = definition(i.task());
        m.put("nextRunAt", i.nextRunAt());
        m.put("lastRunAt", i.lastRunAt());
        m.put("lastRunId", i.lastRunId());
        m.put("totalRunCount", i.totalRunCount());
        m.put("createdAt", i.createdAt());
        m.put("updatedAt", i.updatedAt());
        return m;
    }

    static Map<String, Object> definition(PeriodicTask p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("task", p.task());
        m.put("schedule", p.schedule().describe());
        m.put("spec", spec(p.schedule().toSpec()));
        m.put("args", json(p.args()));
        m.put("queue", p.queue().orElse(null));
        m.put("priority", p.priority().orElse(null));
        m.put("expires", p.expires().orElse(null));
        m.put("enabled", p.enabled());
        m.put("oneOff", p.oneOff());
        m.put("startTime", p.startTime().orElse(null));
        m.put("description", p.description());
        m.put("missedRuns", String.valueOf(p.missedRuns()));
        m.put("overlap", p.overlap().name());
        return m;
    }

    /** The spec's fields that its kind uses (the others are null). */
    static Map<String, Object> spec(ScheduleSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind());
        putIfSet(m, "expression", s.expression());
        putIfSet(m, "zone", s.zone());
        putIfSet(m, "every", s.every());
        putIfSet(m, "anchor", s.anchor());
        putIfSet(m, "at", s.at());
        putIfSet(m, "event", s.event());
        putIfSet(m, "latitude", s.latitude());
        putIfSet(m, "longitude", s.longitude());
        return m;
    }

    static Map<String, Object> audit(AuditRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", a.at());
        m.put("entry", a.entry());
        m.put("action", a.action());
        m.put("actor", a.actor());
        m.put("detail", a.detail());
        m.put("before", json(a.before()));
        m.put("after", json(a.after()));
        return m;
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** JSON text as a tree, so that it is embedded rather than quoted; text that is not JSON stays a string. */
    static Object json(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode node = Output.mapper().readTree(text);
            return node == null ? text : node;
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
