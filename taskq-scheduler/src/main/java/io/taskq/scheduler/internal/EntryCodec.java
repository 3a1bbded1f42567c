package io.taskq.scheduler.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.internal.Json;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.OverlapPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON form of a stored entry: {@code {"definition": {...}, "declared": {...}|null, "state": {...}}}.
 *
 * <p>Written by hand over Jackson's tree model rather than by data binding, so that the stored format is exactly
 * what this class says (editable by people and by other languages) and independent of the public classes' shape.
 * Unknown fields are ignored on read, so a newer scheduler can add fields without breaking an older one.
 */
public final class EntryCodec {

    /**
     * What the scheduler keeps about an entry at run time.
     *
     * @param lastRunQueue the queue of the last run, for the overlap check
     */
    record State(Instant nextRunAt, Instant lastRunAt, String lastRunId, String lastRunQueue,
                        long totalRunCount, Instant createdAt, Instant updatedAt) {

        /** A fresh entry's state. */
        static State created(Instant now, Instant nextRunAt) {
            return new State(nextRunAt, null, null, null, 0, now, now);
        }

        /** The same state with another next run. */
        State withNextRunAt(Instant next) {
            return new State(next, lastRunAt, lastRunId, lastRunQueue, totalRunCount, createdAt, updatedAt);
        }

        /** The same state with the definition's update time set. */
        State withUpdatedAt(Instant at) {
            return new State(nextRunAt, lastRunAt, lastRunId, lastRunQueue, totalRunCount, createdAt, at);
        }

        /** The state after {@code runs} more runs were published, the last one with that id and queue. */
        State withRuns(Instant at, String runId, String queue, int runs) {
            return new State(nextRunAt, at, runId, queue, totalRunCount + runs, createdAt, updatedAt);
        }
    }

    /**
     * A stored entry.
     *
     * @param definition what the entry does now
     * @param declared   the code declaration last applied to it, or null if it was created at run time; a start-up
     *                   upsert changes the entry only when the declaration differs from this, so that run-time
     *                   edits survive restarts until the code changes
     * @param state      run-time state
     */
    record Entry(PeriodicTask definition, PeriodicTask declared, State state) {

        /** The same entry with another state. */
        Entry withState(State s) {
            return new Entry(definition, declared, s);
        }
    }

    private EntryCodec() {
    }

    /** The entry as JSON text. */
    static String encode(Entry e) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("definition", definitionNode(e.definition()));
        root.set("declared", e.declared() == null ? null : definitionNode(e.declared()));
        ObjectNode s = root.putObject("state");
        State st = e.state();
        putInstant(s, "nextRunAt", st.nextRunAt());
        putInstant(s, "lastRunAt", st.lastRunAt());
        s.put("lastRunId", st.lastRunId());
        s.put("lastRunQueue", st.lastRunQueue());
        s.put("totalRunCount", st.totalRunCount());
        putInstant(s, "createdAt", st.createdAt());
        putInstant(s, "updatedAt", st.updatedAt());
        return root.toString();
    }

    /**
     * Reads an entry.
     *
     * @throws IllegalArgumentException naming the problem if the text is not a valid entry
     */
    static Entry decode(String json) {
        JsonNode root = parse(json);
        JsonNode s = root.path("state");
        Instant created = instant(s, "createdAt");
        State state = new State(instant(s, "nextRunAt"), instant(s, "lastRunAt"), text(s, "lastRunId"),
                text(s, "lastRunQueue"), s.path("totalRunCount").asLong(0),
                created == null ? Instant.EPOCH : created,
                instant(s, "updatedAt") == null ? (created == null ? Instant.EPOCH : created) : instant(s, "updatedAt"));
        JsonNode declared = root.get("declared");
        return new Entry(definition(root.path("definition")),
                declared == null || declared.isNull() ? null : definition(declared), state);
    }

    /** A definition as JSON text (the form audit records carry). */
    static String encodeDefinition(PeriodicTask t) {
        return t == null ? null : definitionNode(t).toString();
    }

    /**
     * Reads a definition.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static PeriodicTask decodeDefinition(String json) {
        return definition(parse(json));
    }

    /** Reads a definition, or empty if the text is null or not a valid definition. */
    public static Optional<PeriodicTask> tryDecodeDefinition(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(decodeDefinition(json));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode definitionNode(PeriodicTask t) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("name", t.name());
        d.put("task", t.task());
        d.set("args", parse(t.args()));
        ScheduleSpec spec = t.schedule().toSpec();
        ObjectNode sch = d.putObject("schedule");
        sch.put("kind", spec.kind());
        putIfSet(sch, "expression", spec.expression());
        putIfSet(sch, "zone", spec.zone());
        putIfSet(sch, "every", spec.every());
        putIfSet(sch, "anchor", spec.anchor());
        putIfSet(sch, "at", spec.at());
        putIfSet(sch, "event", spec.event());
        putIfSet(sch, "latitude", spec.latitude());
        putIfSet(sch, "longitude", spec.longitude());
        d.put("queue", t.queue().orElse(null));
        if (t.priority().isPresent()) {
            d.put("priority", t.priority().get());
        } else {
            d.putNull("priority");
        }
        d.put("expires", t.expires().map(Duration::toString).orElse(null));
        d.put("enabled", t.enabled());
        putInstant(d, "startTime", t.startTime().orElse(null));
        d.put("oneOff", t.oneOff());
        d.put("description", t.description());
        ObjectNode m = d.putObject("missedRuns");
        m.put("policy", t.missedRuns().kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (t.missedRuns().kind() == MissedRunPolicy.Kind.RUN_ALL) {
            m.put("cap", t.missedRuns().cap());
        }
        d.put("overlap", t.overlap().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return d;
    }

    private static PeriodicTask definition(JsonNode d) {
        if (!d.isObject()) {
            throw new IllegalArgumentException("periodic task definition must be a JSON object");
        }
        JsonNode s = d.path("schedule");
        ScheduleSpec spec = new ScheduleSpec(text(s, "kind"), text(s, "expression"), text(s, "zone"),
                text(s, "every"), text(s, "anchor"), text(s, "at"), text(s, "event"), text(s, "latitude"),
                text(s, "longitude"));
        String name = text(d, "name");
        String task = text(d, "task");
        if (name == null || task == null) {
            throw new IllegalArgumentException("periodic task definition needs 'name' and 'task'");
        }
        PeriodicTask.Builder b = PeriodicTask.builder(name, task, Schedule.fromSpec(spec));
        JsonNode args = d.get("args");
        if (args != null && !args.isNull()) {
            b.argsJson(args.isTextual() ? args.asText() : args.toString());
        }
        b.queue(text(d, "queue"));
        JsonNode p = d.get("priority");
        b.priority(p == null || p.isNull() ? null : p.asInt());
        String expires = text(d, "expires");
        b.expires(expires == null ? null : duration(expires));
        b.enabled(d.path("enabled").asBoolean(true));
        b.startTime(instant(d, "startTime"));
        b.oneOff(d.path("oneOff").asBoolean(false));
        b.description(text(d, "description"));
        JsonNode m = d.path("missedRuns");
        String policy = m.isTextual() ? m.asText() : text(m, "policy");
        b.missedRuns(policy == null ? MissedRunPolicy.runOnce() : switch (policy) {
            case "run-once" -> MissedRunPolicy.runOnce();
            case "skip" -> MissedRunPolicy.skip();
            case "run-all" -> MissedRunPolicy.runAll(m.path("cap").asInt(10));
            default -> throw new IllegalArgumentException("unknown missedRuns policy '" + policy
                    + "' (run-once, skip, run-all)");
        });
        String overlap = text(d, "overlap");
        b.overlap(overlap == null ? OverlapPolicy.ALLOW : switch (overlap) {
            case "allow" -> OverlapPolicy.ALLOW;
            case "skip-if-running" -> OverlapPolicy.SKIP_IF_RUNNING;
            default -> throw new IllegalArgumentException("unknown overlap policy '" + overlap
                    + "' (allow, skip-if-running)");
        });
        return b.build();
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            if (n == null) {
                throw new IllegalArgumentException("empty JSON");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'expires' must be an ISO-8601 duration such as PT10M, got '"
                    + text + "'", e);
        }
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void putInstant(ObjectNode n, String field, Instant value) {
        n.put(field, value == null ? null : value.toString());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 instant, got '" + t + "'", e);
        }
    }
}
