package io.taskq.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The taskq message envelope, version 1, modelled on Celery's message protocol v2 so that a Celery transport can
 * map it one to one (docs/protocol.md):
 *
 * <pre>{"v":1, "headers":{"lang":"java","task":...,"id":...,"eta":...,"expires":...,"retries":0,
 *   "timelimit":[hard,soft],"root_id":...,"parent_id":...,"group":null,"argsrepr":...,"origin":...,
 *   "sent_at":...,"ignore_result":false,"queue":...,"priority":4, ...custom headers},
 *  "body":[[args...], {kwargs}, {"callbacks":null,"errbacks":null,"chain":null,"chord":null}]}</pre>
 *
 * @param id           task id
 * @param task         task name
 * @param queue        queue
 * @param priority     priority 0..9
 * @param args         positional arguments as JSON
 * @param eta          earliest start, or null
 * @param expires      latest start, or null
 * @param retries      retries before this message
 * @param timeLimit    hard time limit per attempt, or null for the task's own
 * @param rootId       id of the first task of the workflow
 * @param parentId     id of the task that submitted this one, or null
 * @param ignoreResult whether the result is stored
 * @param origin       who sent it
 * @param headers      custom headers
 * @param sentAt       when this message was sent (submitted, or sent again as a retry or a resubmitted dead letter),
 *                     or null if its sender did not say (an older taskq, another client)
 * @param softTimeLimit soft time limit per attempt (Celery's {@code soft_time_limit}, {@code timelimit[1]}), or null
 *                     for the task's own
 * @param embed        the workflow part ({@code body[2]}): callbacks, errbacks, the rest of a chain; {@link Embed#NONE}
 *                     for none
 */
public record Envelope(String id, String task, String queue, int priority, ArrayNode args, Instant eta,
                       Instant expires, int retries, Duration timeLimit, String rootId, String parentId,
                       boolean ignoreResult, String origin, Map<String, String> headers, Instant sentAt,
                       Duration softTimeLimit, Embed embed) {

    /** Current envelope version. */
    public static final int VERSION = 1;

    /** Header names taskq uses itself; custom headers may not use them. */
    public static final Set<String> RESERVED = Set.of("lang", "task", "id", "shadow", "eta", "expires", "group",
            "group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
            "ignore_result", "queue", "priority", "sent_at", BrokerEnd.HEADER);

    private static final int ARGSREPR_MAX = 200;

    /** Thrown when text is not a valid envelope; the message says what is wrong. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /** Validates the fields. */
    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(args, "args");
        headers = Map.copyOf(headers);
        if (rootId == null) {
            rootId = id;
        }
        if (embed == null) {
            embed = Embed.NONE;
        }
    }

    /** An envelope without a workflow part. */
    public Envelope(String id, String task, String queue, int priority, ArrayNode args, Instant eta, Instant expires,
                    int retries, Duration timeLimit, String rootId, String parentId, boolean ignoreResult,
                    String origin, Map<String, String> headers, Instant sentAt, Duration softTimeLimit) {
        this(id, task, queue, priority, args, eta, expires, retries, timeLimit, rootId, parentId, ignoreResult,
                origin, headers, sentAt, softTimeLimit, Embed.NONE);
    }

    /** An envelope without a soft time limit of its own. */
    public Envelope(String id, String task, String queue, int priority, ArrayNode args, Instant eta, Instant expires,
                    int retries, Duration timeLimit, String rootId, String parentId, boolean ignoreResult,
                    String origin, Map<String, String> headers, Instant sentAt) {
        this(id, task, queue, priority, args, eta, expires, retries, timeLimit, rootId, parentId, ignoreResult,
                origin, headers, sentAt, null);
    }

    /** An envelope of a sender that does not say when it sent (the form before {@code sent_at}). */
    public Envelope(String id, String task, String queue, int priority, ArrayNode args, Instant eta, Instant expires,
                    int retries, Duration timeLimit, String rootId, String parentId, boolean ignoreResult,
                    String origin, Map<String, String> headers) {
        this(id, task, queue, priority, args, eta, expires, retries, timeLimit, rootId, parentId, ignoreResult,
                origin, headers, null, null);
    }

    /**
     * The envelope of the next attempt after a retry, sent at {@code now} to start no earlier than {@code retryAt}
     * (as Celery's retry sends a new message with an ETA).
     */
    public Envelope nextRetry(Instant now, Instant retryAt) {
        return new Envelope(id, task, queue, priority, args, retryAt, expires, retries + 1, timeLimit, rootId,
                parentId, ignoreResult, origin, headers, now, softTimeLimit, embed);
    }

    /** A copy with the retry count reset, sent again at {@code now} (re-submitting a dead letter). */
    public Envelope withRetriesReset(Instant now) {
        return new Envelope(id, task, queue, priority, args, null, expires, 0, timeLimit, rootId, parentId,
                ignoreResult, origin, headers, now, softTimeLimit, embed);
    }

    /**
     * Encodes to JSON text. Written directly into a {@code StringBuilder} (the producer's hot path: a Jackson tree
     * plus a serializer per call cost several times more than the rest of a submit); the output is the same text
     * {@link #encodeWithTree()} gives, field for field and byte for byte (EnvelopeTest compares them).
     */
    public String encode() {
        for (String name : headers.keySet()) {
            if (RESERVED.contains(name)) {
                // Cannot come through TaskRequest (it refuses reserved names); the tree replaces the field in place.
                return encodeWithTree();
            }
        }
        String argsJson;
        String repr;
        try {
            argsJson = args.isEmpty() ? "[]" : Json.mapper().writeValueAsString(args);
            repr = args.isEmpty() ? "[]" : args.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode envelope", e);
        }
        if (repr.length() > ARGSREPR_MAX) {
            repr = repr.substring(0, ARGSREPR_MAX) + "...";
        }
        StringBuilder b = new StringBuilder(360 + argsJson.length() + repr.length() + 2 * id.length());
        b.append("{\"v\":").append(VERSION).append(",\"headers\":{");
        String limits = headers.get(LimitSpec.HEADER);
        if (limits != null) {
            // First, at a fixed place, so that a broker finds a message's limits without parsing it (LimitSpec).
            string(b, LimitSpec.HEADER);
            b.append(':');
            string(b, limits);
            b.append(',');
        }
        b.append("\"lang\":\"java\",\"task\":");
        string(b, task);
        b.append(",\"id\":");
        string(b, id);
        b.append(",\"eta\":");
        string(b, eta == null ? null : IsoInstants.format(eta));
        b.append(",\"expires\":");
        string(b, expires == null ? null : IsoInstants.format(expires));
        b.append(",\"group\":null,\"retries\":").append(retries).append(",\"timelimit\":[");
        if (timeLimit == null) {
            b.append("null");
        } else {
            b.append(Double.toString(timeLimit.toMillis() / 1000.0));
        }
        b.append(',');
        if (softTimeLimit == null) {
            b.append("null");
        } else {
            b.append(Double.toString(softTimeLimit.toMillis() / 1000.0));
        }
        b.append("],\"root_id\":");
        string(b, rootId);
        b.append(",\"parent_id\":");
        string(b, parentId);
        b.append(",\"argsrepr\":");
        string(b, repr);
        b.append(",\"origin\":");
        string(b, origin);
        b.append(",\"sent_at\":");
        string(b, sentAt == null ? null : IsoInstants.format(sentAt));
        b.append(",\"ignore_result\":").append(ignoreResult).append(",\"queue\":");
        string(b, queue);
        b.append(",\"priority\":").append(priority);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (limits != null && h.getKey().equals(LimitSpec.HEADER)) {
                continue;
            }
            b.append(',');
            string(b, h.getKey());
            b.append(':');
            string(b, h.getValue());
        }
        b.append("},\"body\":[").append(argsJson).append(",{},");
        if (embed.isEmpty()) {
            b.append("{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}");
        } else {
            try {
                b.append(Json.mapper().writeValueAsString(embed.toJson()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode envelope", e);
            }
        }
        b.append("]}");
        return b.toString();
    }

    private static void string(StringBuilder b, String s) {
        JsonText.string(b, s);
    }

    /** The reference encoding through a Jackson tree; {@link #encode()} produces the same text faster. */
    String encodeWithTree() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode h = f.objectNode();
        if (headers.containsKey(LimitSpec.HEADER)) {
            h.put(LimitSpec.HEADER, headers.get(LimitSpec.HEADER));
        }
        h.put("lang", "java");
        h.put("task", task);
        h.put("id", id);
        h.put("eta", eta == null ? null : IsoInstants.format(eta));
        h.put("expires", expires == null ? null : IsoInstants.format(expires));
        h.putNull("group");
        h.put("retries", retries);
        ArrayNode tl = h.putArray("timelimit");
        if (timeLimit == null) {
            tl.addNull();
        } else {
            tl.add(timeLimit.toMillis() / 1000.0);
        }
        if (softTimeLimit == null) {
            tl.addNull();
        } else {
            tl.add(softTimeLimit.toMillis() / 1000.0);
        }
        h.put("root_id", rootId);
        h.put("parent_id", parentId);
        String repr = args.toString();
        h.put("argsrepr", repr.length() > ARGSREPR_MAX ? repr.substring(0, ARGSREPR_MAX) + "..." : repr);
        h.put("origin", origin);
        h.put("sent_at", sentAt == null ? null : IsoInstants.format(sentAt));
        h.put("ignore_result", ignoreResult);
        h.put("queue", queue);
        h.put("priority", priority);
        headers.forEach(h::put);
        ObjectNode root = f.objectNode();
        root.put("v", VERSION);
        root.set("headers", h);
        ArrayNode body = root.putArray("body");
        body.add(args);
        body.addObject();
        body.add(embed.toJson());
        try {
            return Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode envelope", e);
        }
    }

    /**
     * Decodes JSON text, validating every field taskq relies on. The text is exactly one JSON object: anything
     * but whitespace after it is refused.
     */
    public static Envelope decode(String text) throws MalformedException {
        int[] chain = ChainSteps.span(text);
        if (chain == null) {
            return EnvelopeReader.read(text, null);
        }
        // The rest of a chain is read one step at a time (ChainSteps): the message is decoded without it.
        ChainSteps steps = ChainSteps.parse(text, chain[0], chain[1]);
        return EnvelopeReader.read(text.substring(0, chain[0]) + "null" + text.substring(chain[1]), steps);
    }

    /**
     * A header's time as senders write it: ISO-8601 with an offset, or without one (UTC, as Celery takes it); null if
     * the text is not such a time.
     */
    public static Instant time(String text) {
        Instant utc = IsoInstants.parse(text); // the form taskq writes, without a general formatter's cost
        if (utc != null) {
            return utc;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // Celery treats a naive time as UTC.
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
