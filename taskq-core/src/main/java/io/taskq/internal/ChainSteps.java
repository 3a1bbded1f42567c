package io.taskq.internal;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.AbstractList;
import java.util.List;

/**
 * The rest of a chain as a message carries it: the JSON text of its signatures, in Celery's order (the next step
 * last), decoded one signature at a time. A chain of n steps sends n messages, each with the steps still to come;
 * decoding and encoding all of them in every message would cost each step in proportion to the chain's length.
 * Instead a worker decodes (and validates) only the step it enqueues next, {@link #last()}, and passes the text of
 * the others on unread, {@link #withoutLast()}; each of them is decoded when it is next. What is not read yet is
 * checked then: a malformed signature further on stops the chain at the step before it, whose message is
 * dead-lettered with the reason (docs/workflows.md).
 *
 * <p>As a {@link List} it decodes every signature on first use (for callers that need all, such as tests); the
 * worker's path uses {@link #last()} and {@link #withoutLast()} only. Immutable.
 */
public final class ChainSteps extends AbstractList<Embed.Step> {
    /** Reads exactly one JSON value (text after it refused); built once, as each message reads its next step. */
    private static final com.fasterxml.jackson.databind.ObjectReader ONE_VALUE = Json.mapper().reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final char[] CLOSINGS = {'}', ']', '}', ']'};

    private final String elements;
    private Embed.Step last;
    private List<Embed.Step> all;

    private ChainSteps(String elements, Embed.Step last) {
        this.elements = elements;
        this.last = last;
    }

    /**
     * The chain whose array text is {@code text[from, to)} (from the {@code [} to the {@code ]} included), with its
     * next step decoded and checked.
     *
     * @throws Envelope.MalformedException when the array or its last signature is malformed, or it is empty
     */
    static ChainSteps parse(String text, int from, int to) throws Envelope.MalformedException {
        if (to - from < 2 || text.charAt(from) != '[' || text.charAt(to - 1) != ']') {
            throw new Envelope.MalformedException("embed field 'chain' must be an array or null");
        }
        String inner = text.substring(from + 1, to - 1).strip();
        if (inner.isEmpty()) {
            throw new Envelope.MalformedException("embed field 'chain' is an empty array (write null for none)");
        }
        ChainSteps c = new ChainSteps(inner, null);
        c.last();
        return c;
    }

    /** The next step: the last signature, decoded once and checked. */
    public Embed.Step last() throws Envelope.MalformedException {
        if (last == null) {
            int start = lastElementStart(elements);
            last = Embed.parseSignature(readOne(elements.substring(start)), "chain[last]");
        }
        return last;
    }

    /** The steps after the next one, their text unread; empty when the next step is the chain's last. */
    public List<Embed.Step> withoutLast() throws Envelope.MalformedException {
        int start = lastElementStart(elements);
        int end = start - 1;
        while (end >= 0 && Character.isWhitespace(elements.charAt(end))) {
            end--;
        }
        if (end < 0) {
            return List.of();
        }
        if (elements.charAt(end) != ',') {
            throw malformed("signatures must be separated by commas");
        }
        String rest = elements.substring(0, end).strip();
        if (rest.isEmpty()) {
            throw malformed("a comma without a signature before it");
        }
        return new ChainSteps(rest, null);
    }

    /**
     * Where a message's chain array is, {@code [from, to)}, when the message has one as taskq writes it: the embed's
     * last field, the embed last in the body, the body last in the envelope. Null otherwise (no chain, or another
     * layout, which is decoded as a whole).
     */
    static int[] span(String text) {
        if (chainEnd(text, -1) < 0) {
            return null; // the common case, a message without a chain: no need to parse up to its embed
        }
        int from;
        try (com.fasterxml.jackson.core.JsonParser p = Json.mapper().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT || !toField(p, "body")
                    || p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            for (int i = 0; i < 2; i++) {
                p.nextToken();
                p.skipChildren();
            }
            if (p.nextToken() != JsonToken.START_OBJECT || !toField(p, "chain")
                    || p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            from = (int) p.currentTokenLocation().getCharOffset();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        int to = chainEnd(text, from);
        return to < 0 ? null : new int[] {from, to};
    }

    /**
     * Where a chain array that is the message's last value ends: after its {@code ]}, followed only by the embed's,
     * the body's and the envelope's closings ({@code ]}]}} and whitespace) after {@code from}; -1 if the text does
     * not end so.
     */
    private static int chainEnd(String text, int from) {
        int i = text.length() - 1;
        for (char closing : CLOSINGS) {
            while (i > from && Character.isWhitespace(text.charAt(i))) {
                i--;
            }
            if (i <= from || text.charAt(i) != closing) {
                return -1;
            }
            i--;
        }
        return i + 2;
    }

    /** Skips the object's fields up to {@code name}; false if it has none of that name. */
    private static boolean toField(com.fasterxml.jackson.core.JsonParser p, String name) throws java.io.IOException {
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            if (name.equals(p.currentName())) {
                return true;
            }
            p.nextToken();
            p.skipChildren();
        }
        return false;
    }

    /** The JSON array, for the encoder to write as it is. */
    JsonNode toJson() {
        return Json.mapper().getNodeFactory().rawValueNode(new RawValue("[" + elements + "]"));
    }

    @Override
    public Embed.Step get(int index) {
        return decoded().get(index);
    }

    @Override
    public int size() {
        return decoded().size();
    }

    @Override
    public boolean isEmpty() {
        return false; // never built empty
    }

    private List<Embed.Step> decoded() {
        if (all == null) {
            try {
                all = Embed.parseSignatures(readOne("[" + elements + "]"), "chain");
            } catch (Envelope.MalformedException e) {
                throw new IllegalStateException("chain steps are malformed: " + e.getMessage(), e);
            }
        }
        return all;
    }

    private static JsonNode readOne(String json) throws Envelope.MalformedException {
        try {
            return ONE_VALUE.readTree(json);
        } catch (java.io.IOException e) {
            throw malformed("not JSON: " + e.getMessage());
        }
    }

    /**
     * Where the last element of the comma-separated signatures begins: from its closing brace back to the brace that
     * opens it, over nested objects and arrays and past strings (a quote preceded by an odd number of backslashes
     * is inside a string). Correct for valid JSON; on other text it finds some position and the decoding of the
     * element or of what is left says what is wrong.
     */
    static int lastElementStart(String s) throws Envelope.MalformedException {
        int i = s.length() - 1;
        while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
            i--;
        }
        if (i < 0 || s.charAt(i) != '}') {
            throw malformed("a signature must be an object");
        }
        int depth = 0;
        for (; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == '"') {
                i = stringStart(s, i);
            } else if (c == '}' || c == ']') {
                depth++;
            } else if (c == '{' || c == '[') {
                depth--;
                if (depth == 0) {
                    return i;
                }
                if (depth < 0) {
                    break;
                }
            }
        }
        throw malformed("unbalanced braces");
    }

    /** The opening quote of the string whose closing quote is at {@code close}. */
    private static int stringStart(String s, int close) throws Envelope.MalformedException {
        for (int j = close - 1; j >= 0; j--) {
            if (s.charAt(j) == '"' && !escaped(s, j)) {
                return j;
            }
        }
        throw malformed("a string without its opening quote");
    }

    private static boolean escaped(String s, int quote) {
        int n = 0;
        for (int k = quote - 1; k >= 0 && s.charAt(k) == '\\'; k--) {
            n++;
        }
        return (n & 1) == 1;
    }

    private static Envelope.MalformedException malformed(String why) {
        return new Envelope.MalformedException("embed field 'chain': " + why);
    }
}
