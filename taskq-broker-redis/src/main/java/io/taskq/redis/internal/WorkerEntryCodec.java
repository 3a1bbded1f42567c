package io.taskq.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.WorkerInfo;
import io.taskq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A worker registry entry as JSON (docs/protocol.md, "Worker registry entries"), written field by field so that
 * the bytes are the golden file's whatever the record's shape. Readers ignore unknown fields and take missing
 * counts as 0, so that workers of another taskq version are listed too.
 */
public final class WorkerEntryCodec {
    private WorkerEntryCodec() {
    }

    /** The entry's JSON text. */
    public static String encode(WorkerInfo w) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", w.id());
        n.put("nodeName", w.nodeName());
        n.put("application", w.application());
        n.put("version", w.version());
        n.put("host", w.host());
        n.put("pid", w.pid());
        ArrayNode queues = n.putArray("queues");
        w.queues().forEach(queues::add);
        ArrayNode paused = n.putArray("pausedQueues");
        new TreeSet<>(w.pausedQueues()).forEach(paused::add);
        n.put("concurrency", w.concurrency());
        n.put("active", w.active());
        n.put("held", w.held());
        n.put("processed", w.processed());
        n.put("succeeded", w.succeeded());
        n.put("failed", w.failed());
        n.put("healthy", w.healthy());
        n.put("startedAt", w.startedAt().toString());
        n.put("lastHeartbeat", w.lastHeartbeat().toString());
        n.put("heartbeatIntervalMs", w.heartbeatInterval().toMillis());
        try {
            return Json.mapper().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a worker entry", e);
        }
    }

    /**
     * Reads an entry.
     *
     * @throws IllegalArgumentException if it is not an entry (not JSON, an id, names or a time missing)
     */
    public static WorkerInfo decode(String json) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        try {
            return new WorkerInfo(text(n, "id"), text(n, "nodeName"), n.path("application").textValue(),
                    text(n, "version"), text(n, "host"), n.path("pid").asLong(), strings(n, "queues"),
                    new TreeSet<>(strings(n, "pausedQueues")), n.path("concurrency").asInt(),
                    n.path("active").asInt(), n.path("held").asInt(), n.path("processed").asLong(),
                    n.path("succeeded").asLong(), n.path("failed").asLong(), n.path("healthy").asBoolean(),
                    Instant.parse(text(n, "startedAt")), Instant.parse(text(n, "lastHeartbeat")),
                    Duration.ofMillis(n.path("heartbeatIntervalMs").asLong()));
        } catch (NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a worker entry: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        String v = n.path(field).textValue();
        if (v == null) {
            throw new IllegalArgumentException("not a worker entry: no " + field);
        }
        return v;
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : n.path(field)) {
            if (e.isTextual()) {
                out.add(e.textValue());
            }
        }
        return out;
    }
}
