package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder accepts and refuses what the tree decoder it replaced did ({@link TreeEnvelopeDecoder}):
 * the same envelope, or the same message, on taskq's own messages, the protocol's golden files and many variants
 * of them (header order, duplicates, odd types, extra fields, whitespace, every truncation, text after).
 */
class EnvelopeReaderTest {
    /** Header and field values of every JSON type, and the edge values of the checks. */
    private static final List<String> ODD_VALUES = List.of("null", "0", "1", "-1", "9", "10", "12", "4294967300",
            "-4294967296", "99999999999999999999999", "1.5", "-0.0", "1e400", "true", "false", "\"\"", "\"7\"",
            "\" 8 \"", "\"abc\"", "\"true\"", "\"FALSE\"", "\"2.5\"", "\"2030-01-01T00:00:00\"",
            "\"2030-01-01T00:00:00+02:00\"", "\"2030-01-01T00:00:00.5Z\"", "\"tomorrow\"", "[]", "{}", "[1,2]",
            "[30,null]", "[0,-1]", "[99999999999999999999999,1e-3]", "[1e-4,1000000001]", "[1e10,2]", "[null,2.5,7]",
            "[\"5\",5]", "[[1],{\"a\":1}]", "{\"a\":1}",
            "{\"a\":{\"b\":[null]}}", "\"q\\\"uote \\\\ \\u00e9 \\n\"");

    private static Envelope sample(Map<String, String> headers, ArrayNode args, Embed embed) {
        return new Envelope("0636dca0-ee9a-4a16-9f21-47e59b090c49", "email.send", "email", 7, args,
                Instant.parse("2030-01-01T00:00:00.123Z"), null, 2, Duration.ofMillis(1500), null, "parent", true,
                "4242@app-1", headers, Instant.parse("2026-11-21T17:43:04.576Z"), Duration.ofSeconds(1), embed);
    }

    private static ArrayNode mixedArgs() {
        ArrayNode a = Json.mapper().createArrayNode().add(1).add(Long.MAX_VALUE).add(2.5).add(-0.0).add(true)
                .add(false).addNull().add("two").add(java.math.BigInteger.TEN.pow(30));
        a.addObject().put("k", "v").putArray("a").add(1).add(1.0);
        a.addArray().add("x").addNull();
        return a;
    }

    private static Embed.Step step(String task, int n) {
        return new Embed.Step(task, Json.mapper().createArrayNode().add(n), n % 2 == 0, "id-" + task + n, "q", n % 10,
                n == 3 ? Duration.ofMillis(1500) : null, null, null, List.of(), List.of());
    }

    private static List<String> messages() throws IOException {
        List<String> out = new ArrayList<>();
        ArrayNode none = Json.mapper().createArrayNode();
        ArrayNode oneLong = Json.mapper().createArrayNode().add(123456789012L);
        List<Embed.Step> chain = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chain.add(step("c.step", i));
        }
        Embed links = new Embed(List.of(step("cb", 1)), List.of(step("eb", 2)), List.of());
        Embed chord = Embed.NONE.withChord(new Embed.ChordRef("g-1", 1, 3, step("join", 5), List.of(step("after", 6))));
        for (Embed e : List.of(Embed.NONE, links, chord, new Embed(List.of(), List.of(), chain),
                new Embed(List.of(step("cb", 1)), List.of(), chain))) {
            for (ArrayNode args : List.of(none, oneLong, mixedArgs())) {
                out.add(sample(Map.of(), args, e).encode());
                out.add(sample(Map.of("tenant", "acme", LimitSpec.HEADER, "r|task:x||1|1|1"), args, e).encode());
            }
        }
        for (String golden : List.of("envelope.json", "envelope-limits.json", "envelope-workflow.json")) {
            try (InputStream in = EnvelopeReaderTest.class.getResourceAsStream("/io/taskq/protocol/" + golden)) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Both decoders give the same envelope, or refuse with the same message. */
    private static void assertDecodesAsTree(String text) {
        Object tree;
        Object stream;
        try {
            tree = TreeEnvelopeDecoder.decode(text);
        } catch (Exception e) {
            tree = e.getClass().getName() + ": " + e.getMessage();
        }
        try {
            stream = Envelope.decode(text);
        } catch (Exception e) {
            stream = e.getClass().getName() + ": " + e.getMessage();
        }
        if (tree instanceof Envelope t && stream instanceof Envelope s) {
            // A chain's steps after the next are compared as their text: they are not read yet, and may be malformed.
            assertEquals(withoutChain(t), withoutChain(s), text);
            assertEquals(t.encode(), s.encode(), text);
            assertEquals(t.args().toString(), s.args().toString(), text);
            assertEquals(t.embed().chain().getClass(), s.embed().chain().getClass(), text);
        } else {
            assertEquals(tree, stream, text);
        }
    }

    private static Envelope withoutChain(Envelope e) {
        return new Envelope(e.id(), e.task(), e.queue(), e.priority(), e.args(), e.eta(), e.expires(), e.retries(),
                e.timeLimit(), e.rootId(), e.parentId(), e.ignoreResult(), e.origin(), e.headers(), e.sentAt(),
                e.softTimeLimit(), e.embed().withChain(List.of()));
    }

    @Test
    void decodesTaskqsOwnAndTheGoldenMessagesAsTheTreeDid() throws Exception {
        for (String m : messages()) {
            assertDecodesAsTree(m);
            assertDecodesAsTree(Json.mapper().readTree(m).toPrettyString());
            assertDecodesAsTree(" \n" + m + "\t\r\n ");
        }
    }

    @Test
    void everyTruncationAndTextAfterIsJudgedAsTheTreeDid() throws Exception {
        List<String> all = messages();
        // Custom headers and arguments of every type; a chord; a chain; the golden file with callbacks and a chain.
        for (String m : List.of(all.get(5), all.get(17), all.get(23), all.get(32))) {
            for (int i = 0; i < m.length(); i++) {
                assertDecodesAsTree(m.substring(0, i));
                assertDecodesAsTree(m.substring(0, i) + "}" + m.substring(i));
                assertDecodesAsTree(m.substring(0, i) + "\"" + m.substring(i));
                assertDecodesAsTree(m.substring(0, i) + "\\q" + m.substring(i)); // a bad escape in a string
                assertDecodesAsTree(m.substring(0, i) + "\u0001" + m.substring(i)); // a raw control character
                assertDecodesAsTree(m.substring(0, i) + "," + m.substring(i));
            }
            for (String after : List.of("x", "}", "]", "{}", "1", " null", "\n" + m, ",", "\"", "/*")) {
                assertDecodesAsTree(m + after);
            }
        }
        for (String t : List.of("", " ", "null", "1", "\"s\"", "[1,2]", "[1,2", "[] x", "\"a\\x\"", "1 2", "{}",
                "{\"v\":1}", "{\"v\":\"1\"}", "{\"v\":1.0}", "{\"v\":2}", "{\"v\":[1]}", "{\"v\":1,\"headers\":[]}")) {
            assertDecodesAsTree(t);
        }
    }

    @Test
    void everyHeaderOfEveryTypeOnceOrTwiceIsJudgedAsTheTreeDid() throws Exception {
        String base = sample(Map.of("tenant", "acme"), mixedArgs(), Embed.NONE).encode();
        Map<String, String> headers = headersOf(base);
        List<String> names = new ArrayList<>(Envelope.RESERVED);
        names.addAll(List.of("tenant", "limits", "other"));
        for (String name : names) {
            for (String value : ODD_VALUES) {
                Map<String, String> h = new LinkedHashMap<>(headers);
                h.put(name, value);
                assertDecodesAsTree(withHeaders(base, h, ""));
                assertDecodesAsTree(withHeaders(base, headers, ",\"" + name + "\":" + value)); // a duplicate, last wins
                Map<String, String> first = new LinkedHashMap<>();
                first.put(name, value);
                first.putAll(headers);
                assertDecodesAsTree(withHeaders(base, first, ""));
            }
        }
        List<String> reversed = new ArrayList<>(headers.keySet());
        java.util.Collections.reverse(reversed);
        Map<String, String> r = new LinkedHashMap<>();
        reversed.forEach(k -> r.put(k, headers.get(k)));
        assertDecodesAsTree(withHeaders(base, r, ""));
        assertDecodesAsTree(withHeaders(base, headers, ",\"x\":{},\"y\":1,\"x\":\"fine\""));
        assertDecodesAsTree(withHeaders(base, headers, ",\"y\":[],\"x\":{}"));
    }

    @Test
    void everyTopLevelAndBodyFieldOfEveryTypeIsJudgedAsTheTreeDid() throws Exception {
        String base = sample(Map.of("tenant", "acme"), mixedArgs(), Embed.NONE).encode();
        int body = base.indexOf(",\"body\":");
        String head = base.substring(0, body);
        String bodyJson = base.substring(body + 8, base.length() - 1);
        String embed = "{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}";
        String args = bodyJson.substring(1, bodyJson.indexOf(",{}," + embed));
        for (String value : ODD_VALUES) {
            assertDecodesAsTree("{\"v\":" + value + head.substring(6) + ",\"body\":" + bodyJson + "}");
            assertDecodesAsTree(head + ",\"body\":" + bodyJson + ",\"v\":" + value + "}");
            assertDecodesAsTree(head + ",\"body\":" + bodyJson + ",\"headers\":" + value + "}");
            assertDecodesAsTree(head + ",\"body\":" + value + "}");
            assertDecodesAsTree(head + ",\"body\":" + bodyJson + ",\"extra\":" + value + "}");
            assertDecodesAsTree(head + ",\"extra\":" + value + ",\"body\":" + bodyJson + "}");
            assertDecodesAsTree(head + ",\"body\":[" + value + ",{}," + embed + "]}");
            assertDecodesAsTree(head + ",\"body\":[" + args + "," + value + "," + embed + "]}");
            assertDecodesAsTree(head + ",\"body\":[" + args + ",{}," + value + "]}");
            assertDecodesAsTree(head + ",\"body\":[" + args + ",{}," + embed + "," + value + "]}");
            assertDecodesAsTree(head + ",\"body\":[" + args + ",{\"a\":" + value + "}," + embed + "]}");
            assertDecodesAsTree(head + ",\"body\":[[" + value + "],{}," + embed + "]}");
            for (String field : List.of("callbacks", "errbacks", "chain", "chord", "other")) {
                assertDecodesAsTree(head + ",\"body\":[" + args + ",{},{\"" + field + "\":" + value + "}]}");
                String more = embed.replace("}", ",\"" + field + "\":" + value + "}");
                assertDecodesAsTree(head + ",\"body\":[" + args + ",{}," + more + "]}");
            }
        }
        assertDecodesAsTree(head + ",\"body\":[" + args + "]}");
        assertDecodesAsTree(head + ",\"body\":[" + args + ",{}]}");
        assertDecodesAsTree(head + ",\"body\":[]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},null]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{}],\"body\":[[1],{},null]}");
        String steps = "[{\"task\":\"t.x\",\"args\":[],\"options\":{\"task_id\":\"a\",\"queue\":\"q\"}}]";
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":" + steps + ",\"chain\":null}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":null,\"chain\":" + steps + "}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":" + steps + ",\"chord\":null}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":" + steps + "}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":[]}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":[ ]}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":[{}]}]}");
        assertDecodesAsTree(head + ",\"body\":[[],{},{\"chain\":[1]}]}");
    }

    @Test
    void theCommonCasesReadTheirFieldsDirectly() throws Exception {
        Envelope e = sample(Map.of("tenant", "acme"), mixedArgs(), Embed.NONE);
        Envelope back = Envelope.decode(e.encode());
        assertEquals(e, back);
        assertEquals(e.args().toString(), back.args().toString());
        assertSame(Embed.NONE, back.embed(), "an embed of four nulls is no workflow");
        Map<String, String> h = headersOf(e.encode());
        h.put("priority", "\"7\"");
        assertEquals(7, Envelope.decode(withHeaders(e.encode(), h, "")).priority(), "a number in a string counts");
        h.put("priority", "10");
        assertTrue(assertThrows(Envelope.MalformedException.class,
                () -> Envelope.decode(withHeaders(e.encode(), h, ""))).getMessage().contains("priority must be 0..9"));
        h.put("priority", "4");
        h.put("tenant", "{\"nested\":\"no\"}");
        assertEquals("custom header 'tenant' must be a string", assertThrows(Envelope.MalformedException.class,
                () -> Envelope.decode(withHeaders(e.encode(), h, ""))).getMessage());
        assertEquals(e, Envelope.decode(withHeaders(e.encode(), headersOf(e.encode()), ",\"tenant\":\"acme\"")));
        Envelope chained = sample(Map.of(), mixedArgs(), new Embed(List.of(), List.of(), List.of(step("s", 1),
                step("s", 2))));
        assertInstanceOf(ChainSteps.class, Envelope.decode(chained.encode()).embed().chain());
    }

    /** The raw JSON text of each header of an envelope as taskq writes it, in order. */
    private static Map<String, String> headersOf(String text) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Json.mapper().readTree(text).get("headers").fields()
                .forEachRemaining(f -> out.put(f.getKey(), f.getValue().toString()));
        return out;
    }

    /** {@code text} with its headers object replaced by {@code headers} and then {@code extra} (",name":value). */
    private static String withHeaders(String text, Map<String, String> headers, String extra) {
        int from = text.indexOf("\"headers\":{") + 11;
        int to = text.indexOf("},\"body\":");
        StringBuilder b = new StringBuilder();
        headers.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append('"').append(k).append("\":").append(v));
        String inner = b.length() == 0 && extra.startsWith(",") ? extra.substring(1) : b + extra;
        return text.substring(0, from) + inner + text.substring(to);
    }
}
