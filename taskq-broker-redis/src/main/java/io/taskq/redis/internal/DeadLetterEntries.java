package io.taskq.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.DeadLetter;
import io.taskq.internal.Json;
import java.time.Instant;
import java.util.List;

/**
 * Reads the dead letters the inspect script returns ({@code id, deadAtMs, info} per dead letter, see inspect.lua)
 * one by one: an entry that cannot be read becomes an incomplete {@link DeadLetter} saying why, so that one damaged
 * entry (written by something other than taskq) neither fails a listing nor hides the others.
 */
public final class DeadLetterEntries {
    private DeadLetterEntries() {
    }

    /** Reads {@code r} (triples as the inspect script returns them) into {@code out}. */
    public static void read(String queue, List<?> r, List<DeadLetter> out) {
        for (int i = 0; i + 2 < r.size(); i += 3) {
            out.add(one(queue, (String) r.get(i), r.get(i + 1), r.get(i + 2)));
        }
    }

    /** One dead letter from its id, its time in the dead-letter set (ms, as text) and its stored info. */
    static DeadLetter one(String queue, String id, Object deadAtMs, Object info) {
        Instant deadAt = Instant.ofEpochMilli((long) Double.parseDouble(String.valueOf(deadAtMs)));
        if (info instanceof Long len) {
            return new DeadLetter(id, queue, null, null, deadAt, 0, null, "its stored entry is " + len
                    + " bytes long, more than taskq writes: it was not read");
        }
        String text = (String) info;
        if (text == null || text.isEmpty()) {
            return new DeadLetter(id, queue, null, null, deadAt, 0, null, "it has no stored entry");
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return new DeadLetter(id, queue, null, null, deadAt, 0, null, "its stored entry is not JSON: "
                    + e.getOriginalMessage());
        } catch (RuntimeException e) {
            return new DeadLetter(id, queue, null, null, deadAt, 0, null, "its stored entry cannot be read: " + e);
        }
        if (n == null || !n.isObject()) {
            return new DeadLetter(id, queue, null, null, deadAt, 0, null, "its stored entry is not a JSON object");
        }
        String task = n.path("task").isTextual() ? n.get("task").textValue() : null;
        String reason = n.path("reason").isTextual() ? n.get("reason").textValue() : null;
        String body = n.path("body").isTextual() ? n.get("body").textValue() : null;
        int attempt = n.path("attempt").canConvertToInt() ? n.path("attempt").asInt() : 0;
        if (n.path("deadAt").canConvertToLong()) {
            deadAt = Instant.ofEpochMilli(n.get("deadAt").asLong());
        }
        String incomplete = null;
        if (n.hasNonNull("size")) {
            incomplete = "its message of " + n.path("size").asLong() + " bytes was too large to keep: the body"
                    + " holds only its first " + (body == null ? 0 : body.length()) + " characters";
        } else if (body == null) {
            incomplete = "its stored entry has no body";
        }
        return new DeadLetter(id, queue, task, reason, deadAt, attempt, body, incomplete);
    }
}
