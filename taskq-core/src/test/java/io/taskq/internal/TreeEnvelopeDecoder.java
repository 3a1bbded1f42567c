package io.taskq.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference decoder: the whole message read as a Jackson tree, then checked field by field. It is what
 * {@link Envelope#decode} did before {@link EnvelopeReader}; EnvelopeReaderTest holds the streaming decoder to
 * the same results and the same messages.
 */
final class TreeEnvelopeDecoder {
    /** Reads one value and stops: what follows it is checked by {@link #decode}. */
    private static final com.fasterxml.jackson.databind.ObjectReader ONE_VALUE = Json.mapper().reader()
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TreeEnvelopeDecoder() {
    }

    /** The envelope in {@code text}, as Envelope.decode read it through a tree. */
    static Envelope decode(String text) throws Envelope.MalformedException {
        int[] chain = ChainSteps.span(text);
        if (chain == null) {
            return decode(oneObject(text), null);
        }
        // The rest of a chain is read one step at a time (ChainSteps): the message is decoded without it.
        ChainSteps steps = ChainSteps.parse(text, chain[0], chain[1]);
        return decode(oneObject(text.substring(0, chain[0]) + "null" + text.substring(chain[1])), steps);
    }

    private static Envelope decode(JsonNode root, ChainSteps chain) throws Envelope.MalformedException {
        JsonNode v = root.get("v");
        if (v == null || !v.isInt()) {
            throw new Envelope.MalformedException("missing envelope version 'v'");
        }
        if (v.intValue() != Envelope.VERSION) {
            throw new Envelope.MalformedException("unsupported envelope version " + v.intValue() + " (this taskq reads "
                    + Envelope.VERSION + ")");
        }
        JsonNode h = root.get("headers");
        if (h == null || !h.isObject()) {
            throw new Envelope.MalformedException("missing 'headers' object");
        }
        JsonNode body = root.get("body");
        if (body == null || !body.isArray() || body.size() != 3) {
            throw new Envelope.MalformedException("'body' must be an array of [args, kwargs, embed]");
        }
        JsonNode args = body.get(0);
        if (!args.isArray()) {
            throw new Envelope.MalformedException("'body[0]' (args) must be an array");
        }
        if (!body.get(1).isObject() || body.get(1).size() > 0) {
            throw new Envelope.MalformedException("keyword arguments are not supported by Java tasks");
        }
        Map<String, String> custom = customHeaders(h);
        JsonNode tl = h.get("timelimit");
        Duration timeLimit = limit(tl, 0);
        Duration softTimeLimit = limit(tl, 1);
        int priority = h.path("priority").asInt(4);
        if (priority < 0 || priority > 9) {
            throw new Envelope.MalformedException("priority must be 0..9, was " + priority);
        }
        return new Envelope(requiredText(h, "id"), requiredText(h, "task"), requiredText(h, "queue"), priority,
                (ArrayNode) args, instant(h, "eta"), instant(h, "expires"), h.path("retries").asInt(0), timeLimit,
                optionalText(h, "root_id"), optionalText(h, "parent_id"), h.path("ignore_result").asBoolean(false),
                optionalText(h, "origin"), custom, instant(h, "sent_at"), softTimeLimit,
                chain == null ? Embed.parse(body.get(2)) : Embed.parse(body.get(2)).withChain(chain));
    }

    /** {@code timelimit[index]}: seconds, null or absent for none; what is not a positive number is none. */
    private static Duration limit(JsonNode timelimit, int index) {
        JsonNode v = timelimit != null && timelimit.isArray() ? timelimit.get(index) : null;
        if (v == null || !v.isNumber() || !(v.doubleValue() > 0) || v.doubleValue() > 1e9) {
            return null;
        }
        return Duration.ofMillis((long) (v.doubleValue() * 1000));
    }

    /** The one JSON object the text holds, or why it holds something else. */
    private static JsonNode oneObject(String text) throws Envelope.MalformedException {
        JsonNode root;
        try (JsonParser p = Json.mapper().createParser(text)) {
            try {
                root = ONE_VALUE.readTree(p);
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
        } catch (java.io.IOException e) {
            throw new Envelope.MalformedException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Envelope.MalformedException("not a JSON object");
        }
        return root;
    }

    /** The headers taskq does not reserve, each a string (they travel with the task to interceptors). */
    private static Map<String, String> customHeaders(JsonNode h) throws Envelope.MalformedException {
        Map<String, String> custom = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!Envelope.RESERVED.contains(e.getKey())) {
                if (!e.getValue().isTextual()) {
                    throw new Envelope.MalformedException("custom header '" + e.getKey() + "' must be a string");
                }
                custom.put(e.getKey(), e.getValue().textValue());
            }
        }
        return custom;
    }

    private static String requiredText(JsonNode h, String field) throws Envelope.MalformedException {
        JsonNode n = h.get(field);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw new Envelope.MalformedException("missing header '" + field + "'");
        }
        return n.textValue();
    }

    private static String optionalText(JsonNode h, String field) {
        JsonNode n = h.get(field);
        return n == null || !n.isTextual() ? null : n.textValue();
    }

    private static Instant instant(JsonNode h, String field) throws Envelope.MalformedException {
        String text = optionalText(h, field);
        if (text == null) {
            return null;
        }
        Instant t = Envelope.time(text);
        if (t == null) {
            throw new Envelope.MalformedException("header '" + field + "' is not an ISO-8601 time: " + text);
        }
        return t;
    }
}
