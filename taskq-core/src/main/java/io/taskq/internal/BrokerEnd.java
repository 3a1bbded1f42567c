package io.taskq.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.TaskState;
import java.util.Objects;

/**
 * The end a broker decided for a chord member it could not end itself (docs/workflows.md#members-the-broker-ends):
 * revoked while it waited in its queue, revoked while its worker died, or dead after too many lost leases. The
 * member's chord would wait for ever if the broker just removed it, since only a worker builds a member's join (and
 * on a Redis Cluster the chord's state is in another slot). So the broker leaves it queued and marks its message
 * with a first header {@value #HEADER}: {@code {"state":"REVOKED"|"FAILURE","reason":...}}; the worker that takes
 * it ends it that way without running it, and joins the chord as any member does. The Redis scripts write the same
 * header ({@code end_member} in {@code lib-reap.lua}); this class is the in-memory broker's writer and the worker's
 * reader.
 *
 * @param state  {@link TaskState#REVOKED} or {@link TaskState#FAILURE}
 * @param reason why (the revoke's reason, or the lost leases)
 */
public record BrokerEnd(TaskState state, String reason) {
    /** The header's name; reserved, so it never travels to follow-ups as a custom header. */
    public static final String HEADER = "taskq_end";
    /** The longest reason a mark keeps (longer ones are cut). */
    static final int MAX_REASON = 500;
    private static final String OPEN = "{\"v\":1,\"headers\":{";
    private static final String MARKED = OPEN + "\"" + HEADER + "\":";

    /** Checks the fields. */
    public BrokerEnd {
        Objects.requireNonNull(reason, "reason");
        if (state != TaskState.REVOKED && state != TaskState.FAILURE) {
            throw new IllegalArgumentException("a broker ends a task REVOKED or FAILURE, not " + state);
        }
    }

    /**
     * The end marked on {@code body}, or null if it has none (a plain prefix test: what every task costs).
     *
     * @throws Envelope.MalformedException if the mark is there but is not one taskq writes
     */
    public static BrokerEnd of(String body) throws Envelope.MalformedException {
        if (!body.startsWith(MARKED)) {
            return null;
        }
        JsonNode end;
        try {
            end = Json.mapper().readTree(body).path("headers").path(HEADER);
        } catch (JsonProcessingException e) {
            throw new Envelope.MalformedException("not JSON: " + e.getOriginalMessage());
        }
        String state = end.path("state").asText("");
        JsonNode reason = end.get("reason");
        if (!(state.equals("REVOKED") || state.equals("FAILURE")) || reason == null || !reason.isTextual()) {
            throw new Envelope.MalformedException("header '" + HEADER + "' must be {\"state\": \"REVOKED\" or"
                    + " \"FAILURE\", \"reason\": text}");
        }
        return new BrokerEnd(TaskState.valueOf(state), reason.textValue());
    }

    /**
     * {@code body} marked with this end, for a broker that ends a queued task without a worker: the same body if it
     * is marked already (the first end stays), null if the task is not a chord member (nothing would wait for its
     * join: the broker ends it itself) or its message is not in the form taskq writes.
     */
    public String mark(String body) {
        if (body.startsWith(MARKED)) {
            return body;
        }
        if (!body.startsWith(OPEN) || !chordMember(body)) {
            return null;
        }
        ObjectNode end = Json.mapper().createObjectNode();
        end.put("state", state.name());
        end.put("reason", reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        String rest = body.substring(OPEN.length());
        return MARKED + end + (rest.startsWith("}") ? "" : ",") + rest;
    }

    /**
     * Whether a message may belong to a chord: its embed holds a chord object. A plain text search, as the Redis
     * scripts make it; a false match (an argument object with a "chord" key) only means that the task ends at a
     * worker rather than in the broker.
     */
    static boolean chordMember(String body) {
        return body.contains("\"chord\":{");
    }
}
