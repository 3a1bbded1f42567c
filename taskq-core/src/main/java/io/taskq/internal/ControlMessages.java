package io.taskq.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON of remote control (see docs/operations.md): a command's arguments (an object), and the replies of one
 * process to one command, an array with one element per worker of that process the command was for:
 * {@code {"worker": id, "node": name, "ok": value}} or {@code {"worker": id, "node": name, "error": message}}.
 * Values are taskq's own types (strings, numbers, {@code WorkerInfo}, {@code WorkerTask} lists) written by the
 * core's mapper and read into the declared type: no default typing, and fields a newer version adds are ignored.
 */
public final class ControlMessages {
    /** The command names taskq's workers know. */
    public static final String PING = "ping";
    public static final String ACTIVE = "active";
    public static final String RESERVED = "reserved";
    public static final String REGISTERED = "registered";
    public static final String STATS = "stats";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";
    public static final String SET_CONCURRENCY = "set_concurrency";
    public static final String SHUTDOWN = "shutdown";

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final ObjectReader VALUES = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ControlMessages() {
    }

    /** One worker's reply, as read: {@code ok} is null exactly when {@code error} is set. */
    public record Reply(String workerId, String nodeName, JsonNode ok, String error) {
    }

    /** A command's arguments as JSON object text. */
    public static String arguments(Map<String, ?> args) {
        return MAPPER.valueToTree(args).toString();
    }

    /**
     * A command's arguments, read.
     *
     * @throws IllegalArgumentException if they are not a JSON object
     */
    public static JsonNode readArguments(String text) {
        JsonNode n = read(text);
        if (!n.isObject()) {
            throw new IllegalArgumentException("control arguments are not a JSON object");
        }
        return n;
    }

    /** One worker's success. */
    public static ObjectNode ok(String workerId, String nodeName, Object value) {
        ObjectNode n = head(workerId, nodeName);
        n.set("ok", MAPPER.valueToTree(value));
        return n;
    }

    /** One worker's failure. */
    public static ObjectNode error(String workerId, String nodeName, String message) {
        return head(workerId, nodeName).put("error", message == null ? "failed" : message);
    }

    private static ObjectNode head(String workerId, String nodeName) {
        return MAPPER.createObjectNode().put("worker", workerId).put("node", nodeName);
    }

    /** One process's replies, as sent. */
    public static String replies(List<ObjectNode> replies) {
        ArrayNode a = MAPPER.createArrayNode();
        a.addAll(replies);
        return a.toString();
    }

    /**
     * One process's replies, read; elements without a worker id, or with neither a value nor an error, are left out.
     *
     * @throws IllegalArgumentException if the text is not a JSON array
     */
    public static List<Reply> readReplies(String text) {
        JsonNode n = read(text);
        if (!n.isArray()) {
            throw new IllegalArgumentException("control replies are not a JSON array");
        }
        List<Reply> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            JsonNode worker = e.get("worker");
            if (worker == null || !worker.isTextual()) {
                continue;
            }
            JsonNode node = e.get("node");
            String nodeName = node != null && node.isTextual() ? node.asText() : worker.asText();
            JsonNode error = e.get("error");
            if (error != null && !error.isNull()) {
                out.add(new Reply(worker.asText(), nodeName, null, error.asText()));
            } else if (e.has("ok")) {
                out.add(new Reply(worker.asText(), nodeName, e.get("ok"), null));
            }
        }
        return out;
    }

    /**
     * A reply's value as {@code type}.
     *
     * @throws IllegalArgumentException if it does not read as that type
     */
    public static <T> T value(JsonNode ok, JavaType type) {
        try {
            return VALUES.forType(type).readValue(VALUES.treeAsTokens(ok));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a control reply's value does not read as " + type + ": "
                    + e.getMessage(), e);
        }
    }

    /** A Java type of the core's mapper (for {@link #value}). */
    public static JavaType type(Class<?> raw, Class<?>... parameters) {
        return parameters.length == 0 ? MAPPER.constructType(raw)
                : MAPPER.getTypeFactory().constructParametricType(raw, parameters);
    }

    private static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
