package io.taskq.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes an envelope's text for {@link Envelope#decode} in one streaming pass: the fields taskq reads go straight
 * into locals, and only the arguments and a workflow part that is not empty become Jackson trees. A worker decodes
 * every message once per attempt; a tree of the whole message cost more than the rest of the decode, and a fresh
 * worker pays databind's tree code before the JIT has compiled it.
 *
 * <p>It accepts and refuses exactly what reading the message as a tree and checking the tree did: what is checked
 * is collected during the pass and only judged after it (a syntax error anywhere wins over a missing field, as
 * when the whole text was read first), checks run in the same order with the same messages, a field given twice
 * counts with its last value (the tree's rule), a header value of an unusual type is read as the tree node it
 * was and judged as before ({@code "priority":"7"} is 7), and fields taskq does not read are skipped unread.
 * EnvelopeReaderTest compares both on many variants.
 *
 * <p>One instance per message; not thread-safe.
 */
final class EnvelopeReader {
    /** Reads one value and stops: what follows it is checked here, for a message of its own. */
    private static final ObjectReader ONE_VALUE = Json.mapper().reader()
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = Json.mapper().getNodeFactory();
    /** A custom header's value that is not a string (refused once the pass ends). */
    private static final Object NOT_TEXT = new Object();
    private static final String[] EMBED_FIELDS = {"callbacks", "errbacks", "chain", "chord"};

    /** {@code v} when it is an int; null when absent or of another type. */
    private Integer version;
    /** The last {@code headers} field, or null if there was none or it was no object. */
    private Headers headers;
    private boolean bodyArray;
    private int bodySize;
    /** {@code body[0]} when it is an array. */
    private ArrayNode args;
    private boolean kwargsEmptyObject;
    /** {@code body[2]}: null for JSON null or an object without workflow fields; else what Embed.parse reads. */
    private JsonNode embed;

    private EnvelopeReader() {
    }

    /** The envelope {@code text} holds, with {@code chain} (when not null) as the rest of its chain. */
    static Envelope read(String text, ChainSteps chain) throws Envelope.MalformedException {
        EnvelopeReader r = new EnvelopeReader();
        try (JsonParser p = Json.mapper().createParser(text)) {
            boolean object;
            try {
                object = r.root(p);
            } catch (JsonProcessingException e) {
                throw new Envelope.MalformedException("not JSON: " + e.getOriginalMessage());
            }
            // Exactly one value: a decoder that stopped after it would run whatever envelope came first and
            // ignore the rest, so text after it is refused.
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                after = JsonToken.NOT_AVAILABLE;
            }
            if (after != null) {
                throw new Envelope.MalformedException("text after the JSON value at offset "
                        + p.currentTokenLocation().getCharOffset() + " (only whitespace may follow it)");
            }
            if (!object) {
                throw new Envelope.MalformedException("not a JSON object");
            }
        } catch (IOException e) {
            throw new Envelope.MalformedException("not JSON: " + e.getMessage());
        }
        return r.envelope(chain);
    }

    /** Reads the top-level value; false if it is not an object (read as a whole, as before, for its errors). */
    private boolean root(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            tree(p);
            return false;
        }
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            t = p.nextToken();
            switch (name) {
                case "v" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                        version = p.getIntValue();
                    } else {
                        version = null;
                        skipValue(p);
                    }
                }
                case "headers" -> headers = t == JsonToken.START_OBJECT ? Headers.read(p) : skip(p, null);
                case "body" -> body(p, t);
                default -> skipValue(p);
            }
        }
        return true;
    }

    private void body(JsonParser p, JsonToken t) throws IOException {
        bodyArray = t == JsonToken.START_ARRAY;
        bodySize = 0;
        args = null;
        kwargsEmptyObject = false;
        embed = null;
        if (!bodyArray) {
            skipValue(p);
            return;
        }
        for (t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            switch (bodySize++) {
                case 0 -> args = t == JsonToken.START_ARRAY ? args(p) : skip(p, null);
                case 1 -> kwargsEmptyObject = t == JsonToken.START_OBJECT ? emptyObject(p) : skip(p, false);
                case 2 -> embed = embed(p, t);
                default -> skipValue(p);
            }
        }
    }

    /** Whether the object just started is empty; reads it to its end. */
    private static boolean emptyObject(JsonParser p) throws IOException {
        boolean empty = true;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            empty = false;
            p.nextToken();
            skipValue(p);
        }
        return empty;
    }

    /**
     * {@code body[0]}: arguments as the tree reader builds them (a text, an int, a long...), containers through it.
     */
    private static ArrayNode args(JsonParser p) throws IOException {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            a.add(switch (t) {
                case VALUE_STRING -> NODES.textNode(p.getText());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NULL -> NODES.nullNode();
                case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> tree(p);
                };
                default -> tree(p);
            });
        }
        return a;
    }

    /**
     * {@code body[2]}: null when Embed.parse would find nothing in it (JSON null, or the four fields null as taskq
     * writes them); otherwise the workflow fields as a tree. Other fields are skipped: Embed.parse ignores them.
     */
    private static JsonNode embed(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            return tree(p); // refused by Embed.parse, with its reason
        }
        ObjectNode o = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            String name = embedField(field);
            t = p.nextToken();
            if (name == null) {
                skipValue(p);
            } else if (t == JsonToken.VALUE_NULL) {
                if (o != null) {
                    o.remove(name);
                }
            } else {
                if (o == null) {
                    o = NODES.objectNode();
                }
                o.set(name, tree(p));
            }
        }
        return o;
    }

    private static String embedField(String name) {
        for (String f : EMBED_FIELDS) {
            if (f.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The current value as the tree reader builds it. */
    private static JsonNode tree(JsonParser p) throws IOException {
        return ONE_VALUE.readTree(p);
    }

    /** Skips the current value; returns {@code none}. */
    private static <T> T skip(JsonParser p, T none) throws IOException {
        skipValue(p);
        return none;
    }

    /**
     * Skips the current value with the parser calls the tree reader makes (an object's names through
     * {@code nextFieldName}, whose syntax errors read otherwise than {@code nextToken}'s), so that a malformed
     * message is refused with the same words.
     */
    private static void skipValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                skipValue(p);
            }
        } else if (t == JsonToken.START_ARRAY) {
            for (t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
                skipValue(p);
            }
        }
    }

    /** The envelope, checked in the order and with the messages of the tree decoder this pass replaced. */
    private Envelope envelope(ChainSteps chain) throws Envelope.MalformedException {
        if (version == null) {
            throw new Envelope.MalformedException("missing envelope version 'v'");
        }
        if (version != Envelope.VERSION) {
            throw new Envelope.MalformedException("unsupported envelope version " + version + " (this taskq reads "
                    + Envelope.VERSION + ")");
        }
        Headers h = headers;
        if (h == null) {
            throw new Envelope.MalformedException("missing 'headers' object");
        }
        if (!bodyArray || bodySize != 3) {
            throw new Envelope.MalformedException("'body' must be an array of [args, kwargs, embed]");
        }
        if (args == null) {
            throw new Envelope.MalformedException("'body[0]' (args) must be an array");
        }
        if (!kwargsEmptyObject) {
            throw new Envelope.MalformedException("keyword arguments are not supported by Java tasks");
        }
        Map<String, String> custom = h.custom();
        if (h.priority < 0 || h.priority > 9) {
            throw new Envelope.MalformedException("priority must be 0..9, was " + h.priority);
        }
        String id = required(h.id, "id");
        String task = required(h.task, "task");
        String queue = required(h.queue, "queue");
        Instant eta = instant(h.eta, "eta");
        Instant expires = instant(h.expires, "expires");
        Instant sentAt = instant(h.sentAt, "sent_at");
        Embed e = embed == null ? Embed.NONE : Embed.parse(embed);
        return new Envelope(id, task, queue, h.priority, args, eta, expires, h.retries, h.timeLimit, h.rootId,
                h.parentId, h.ignoreResult, h.origin, custom, sentAt, h.softTimeLimit,
                chain == null ? e : e.withChain(chain));
    }

    private static String required(String value, String field) throws Envelope.MalformedException {
        if (value == null || value.isEmpty()) {
            throw new Envelope.MalformedException("missing header '" + field + "'");
        }
        return value;
    }

    private static Instant instant(String text, String field) throws Envelope.MalformedException {
        if (text == null) {
            return null;
        }
        Instant t = Envelope.time(text);
        if (t == null) {
            throw new Envelope.MalformedException("header '" + field + "' is not an ISO-8601 time: " + text);
        }
        return t;
    }

    /** One {@code headers} object as read: the text headers null when absent or not strings. */
    private static final class Headers {
        String id;
        String task;
        String queue;
        String eta;
        String expires;
        String sentAt;
        String rootId;
        String parentId;
        String origin;
        int priority = 4;
        int retries;
        boolean ignoreResult;
        Duration timeLimit;
        Duration softTimeLimit;
        /** Custom headers in the order of their first appearance, a value that is no string as {@link #NOT_TEXT}. */
        final Map<String, Object> custom = new LinkedHashMap<>();

        static Headers read(JsonParser p) throws IOException {
            Headers h = new Headers();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "id" -> h.id = text(p, t);
                    case "task" -> h.task = text(p, t);
                    case "queue" -> h.queue = text(p, t);
                    case "eta" -> h.eta = text(p, t);
                    case "expires" -> h.expires = text(p, t);
                    case "sent_at" -> h.sentAt = text(p, t);
                    case "root_id" -> h.rootId = text(p, t);
                    case "parent_id" -> h.parentId = text(p, t);
                    case "origin" -> h.origin = text(p, t);
                    case "priority" -> h.priority = integer(p, t, 4);
                    case "retries" -> h.retries = integer(p, t, 0);
                    case "ignore_result" -> h.ignoreResult = t == JsonToken.VALUE_TRUE
                            || t != JsonToken.VALUE_FALSE && tree(p).asBoolean(false);
                    case "timelimit" -> h.timeLimits(p, t);
                    default -> {
                        if (Envelope.RESERVED.contains(name)) {
                            skipValue(p);
                        } else {
                            h.custom.put(name, t == JsonToken.VALUE_STRING ? p.getText() : skip(p, NOT_TEXT));
                        }
                    }
                }
            }
            return h;
        }

        private static String text(JsonParser p, JsonToken t) throws IOException {
            return t == JsonToken.VALUE_STRING ? p.getText() : skip(p, null);
        }

        /** As the tree's {@code asInt(orElse)}: an int as it is, another type through its node. */
        private static int integer(JsonParser p, JsonToken t, int orElse) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            return tree(p).asInt(orElse);
        }

        /** {@code timelimit}: [hard, soft] seconds; what is not a positive number is none. */
        private void timeLimits(JsonParser p, JsonToken t) throws IOException {
            timeLimit = null;
            softTimeLimit = null;
            if (t != JsonToken.START_ARRAY) {
                skipValue(p);
                return;
            }
            int i = 0;
            for (t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken(), i++) {
                Duration d = null;
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    double s = p.getDoubleValue();
                    d = !(s > 0) || s > 1e9 ? null : Duration.ofMillis((long) (s * 1000));
                } else {
                    skipValue(p);
                }
                if (i == 0) {
                    timeLimit = d;
                } else if (i == 1) {
                    softTimeLimit = d;
                }
            }
        }

        Map<String, String> custom() throws Envelope.MalformedException {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : custom.entrySet()) {
                if (e.getValue() == NOT_TEXT) {
                    throw new Envelope.MalformedException("custom header '" + e.getKey() + "' must be a string");
                }
                out.put(e.getKey(), (String) e.getValue());
            }
            return out;
        }
    }
}
