package io.taskq.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.internal.Json;
import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A remote-control command as an entry of the control stream: one field, {@value #F_COMMAND}, holding the command as
 * JSON ({@code {"v":1, "id", "name", "destination": [...], "args": "<JSON object text>", "created_at": ms,
 * "expires_at": ms}}). Reading checks every field and its bounds, since anyone with write access to the prefix can
 * add an entry: an entry that fails is refused with the reason, never half read.
 */
public final class ControlEntries {
    /** The entry's one field. */
    public static final String F_COMMAND = "command";
    /** The version of the layout. */
    static final int VERSION = 1;
    /** Longest entry read: the arguments' bound plus room for the rest. */
    static final int MAX_ENTRY_CHARS = ControlBus.MAX_ARGUMENTS_CHARS + 64 * 1024;
    /** Most destinations one command names. */
    static final int MAX_DESTINATIONS = 1000;
    /** A command id becomes part of a key name: a few safe characters only. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_DESTINATION_CHARS = 512;

    private ControlEntries() {
    }

    /** The entry's fields. */
    public static Map<String, String> encode(ControlCommand c) {
        checkId(c.id());
        ObjectNode n = Json.mapper().createObjectNode().put("v", VERSION).put("id", c.id()).put("name", c.name());
        c.destination().forEach(n.putArray("destination")::add);
        n.put("args", c.arguments()).put("created_at", c.createdAt().toEpochMilli())
                .put("expires_at", c.expiresAt().toEpochMilli());
        return Map.of(F_COMMAND, n.toString());
    }

    /**
     * The command of an entry.
     *
     * @throws IllegalArgumentException if the entry is not one, or breaks a bound
     */
    public static ControlCommand decode(Map<String, String> fields) {
        String text = fields.get(F_COMMAND);
        if (text == null) {
            throw new IllegalArgumentException("no field '" + F_COMMAND + "'");
        }
        if (text.length() > MAX_ENTRY_CHARS) {
            throw new IllegalArgumentException("entry of " + text.length() + " characters exceeds " + MAX_ENTRY_CHARS);
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (!n.isObject() || n.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("not a command of layout version " + VERSION);
        }
        String id = text(n, "id", Integer.MAX_VALUE);
        checkId(id);
        String name = text(n, "name", Integer.MAX_VALUE);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad command name");
        }
        return new ControlCommand(id, name, destination(n.get("destination")),
                text(n, "args", ControlBus.MAX_ARGUMENTS_CHARS), millis(n, "created_at"), millis(n, "expires_at"));
    }

    private static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad command id: 1 to 64 of A-Z a-z 0-9 _ -");
        }
    }

    private static List<String> destination(JsonNode d) {
        if (d == null || !d.isArray() || d.size() > MAX_DESTINATIONS) {
            throw new IllegalArgumentException("bad destination: an array of at most " + MAX_DESTINATIONS);
        }
        List<String> out = new ArrayList<>(d.size());
        for (JsonNode e : d) {
            if (!e.isTextual() || e.asText().length() > MAX_DESTINATION_CHARS) {
                throw new IllegalArgumentException("bad destination entry");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static String text(JsonNode n, String field, int max) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().length() > max) {
            throw new IllegalArgumentException("bad or missing '" + field + "'");
        }
        return v.asText();
    }

    private static Instant millis(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("bad or missing '" + field + "'");
        }
        return Instant.ofEpochMilli(v.asLong());
    }
}
