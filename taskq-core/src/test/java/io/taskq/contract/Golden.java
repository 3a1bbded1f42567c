package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The golden files of the wire formats ({@code src/test/resources/io/taskq/protocol/*.json}): each is the example
 * docs/protocol.md shows (ProtocolDocTest keeps them the same text), and the tests of every writer, Java and Lua,
 * compare what it writes with them.
 *
 * <p>Two comparisons. {@link #compact} is byte for byte up to the whitespace between tokens (the files are indented
 * for people): for the Java writers, which promise Jackson's exact bytes, so field order, escaping and number form
 * are pinned. {@link #assertJsonEquals} compares the parsed JSON: for the Lua writers, whose {@code cjson.encode}
 * orders an object's fields by hash and escapes {@code /} as {@code \/} (the same JSON, other bytes; every taskq
 * reader accepts both).
 */
public final class Golden {
    /** The names of all golden files. */
    public static final List<String> FILES = List.of("envelope.json", "envelope-workflow.json", "envelope-limits.json",
            "record-received.json", "record-lineage.json", "record-success.json",
            "record-failure.json", "dead-letter.json", "schedule-entry.json", "worker-info.json");

    private Golden() {
    }

    /** The file as written (indented). */
    public static String text(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/io/taskq/protocol/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file without whitespace between tokens: what a compact writer (Jackson's, taskq's own) writes. */
    public static String compact(String name) {
        String s = text(name);
        StringBuilder b = new StringBuilder(s.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                b.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                b.append(c);
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The file parsed. */
    public static JsonNode tree(String name) {
        return parse(text(name));
    }

    /** JSON text parsed with taskq's mapper. */
    public static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code actual} is the same JSON as {@code expected} (field order and escaping aside), after
     * setting the named top-level fields to {@code "*"} in both (values that differ by nature, such as ids or
     * times the writer takes from elsewhere).
     */
    public static void assertJsonEquals(JsonNode expected, String actual, String... normalised) {
        JsonNode a = parse(actual);
        JsonNode e = expected.deepCopy();
        for (String f : normalised) {
            ((ObjectNode) e).put(f, "*");
            ((ObjectNode) a).put(f, "*");
        }
        assertEquals(e, a, "as JSON: " + actual);
    }
}
