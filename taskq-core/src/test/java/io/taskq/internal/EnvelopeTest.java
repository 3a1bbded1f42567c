package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private Envelope sample() {
        var args = Json.mapper().createArrayNode().add(1).add("two");
        return new Envelope("id-1", "t.x", "q", 7, args, Instant.parse("2030-01-01T00:00:00Z"),
                Instant.parse("2030-01-02T00:00:00Z"), 2, Duration.ofMillis(1500), null, "parent", true, "me",
                Map.of("tenant", "acme"));
    }

    @Test
    void roundTripsEveryField() throws Exception {
        Envelope e = sample();
        Envelope back = Envelope.decode(e.encode());
        assertEquals(e, back);
        assertEquals("id-1", back.rootId(), "root defaults to the id");
    }

    @Test
    void hasCeleryV2Shape() throws Exception {
        JsonNode n = Json.mapper().readTree(sample().encode());
        assertEquals(1, n.get("v").intValue());
        JsonNode h = n.get("headers");
        assertEquals("java", h.get("lang").textValue());
        assertEquals("t.x", h.get("task").textValue());
        assertEquals("id-1", h.get("id").textValue());
        assertEquals(1.5, h.get("timelimit").get(0).doubleValue());
        assertTrue(h.get("timelimit").get(1).isNull(), "[hard, soft] as in Celery");
        assertEquals("acme", h.get("tenant").textValue(), "custom headers at top level as in Celery");
        JsonNode body = n.get("body");
        assertEquals(3, body.size());
        assertEquals("[1,\"two\"]", body.get(0).toString());
        assertTrue(body.get(2).has("chain"));
    }

    @Test
    void directEncodingIsTheTreeEncodingByteForByte() {
        String odd = "q\"uote \\ back\nnl\ttab\r\b\f\u0001\u001f\u007f é ü 中 \uD83D\uDE00 \u2028 </script>";
        var bigArgs = Json.mapper().createArrayNode();
        for (int i = 0; i < 60; i++) {
            bigArgs.add("arg-" + i);
        }
        var mixed = Json.mapper().createArrayNode().add(1).add(2.5).add(-0.0).add(1e300).add(Long.MAX_VALUE)
                .add(true).addNull().add(odd).add(new java.math.BigDecimal("1.000")).add(java.math.BigInteger.TEN.pow(30));
        mixed.addObject().put("k", odd).putArray("a").add(1);
        var none = Json.mapper().createArrayNode();
        for (var args : java.util.List.of(none, mixed, bigArgs)) {
            for (Duration limit : new Duration[] {null, Duration.ofSeconds(30), Duration.ofMillis(1500), Duration.ofMillis(1),
                    Duration.ofDays(400)}) {
                for (Map<String, String> headers : java.util.List.<Map<String, String>>of(Map.of(),
                        Map.of("tenant", "acme"), Map.of(odd, odd, "a", ""))) {
                    Envelope e = new Envelope("id-" + odd, "t." + odd, "q" + odd, 9, args,
                            limit == null ? null : Instant.parse("2030-01-01T00:00:00.123456789Z"),
                            limit == null ? Instant.EPOCH : null, 3, limit, limit == null ? null : "root",
                            limit == null ? odd : null, limit != null, limit == null ? null : "1@host", headers);
                    assertEquals(e.encodeWithTree(), e.encode());
                }
            }
        }
        assertEquals(sample().encodeWithTree(), sample().encode());
    }

    @Test
    void theSoftTimeLimitIsCelerysSecondTimeLimitAndTravelsWithRetries() throws Exception {
        Envelope e = new Envelope("id-1", "t.x", "q", 4, Json.mapper().createArrayNode(), null, null, 0,
                Duration.ofSeconds(30), null, null, false, null, Map.of(), Instant.parse("2031-05-01T10:00:00Z"),
                Duration.ofMillis(2500));
        JsonNode tl = Json.mapper().readTree(e.encode()).get("headers").get("timelimit");
        assertEquals("[30.0,2.5]", tl.toString());
        assertEquals(e.encodeWithTree(), e.encode());
        assertEquals(e, Envelope.decode(e.encode()));
        Instant now = Instant.parse("2031-05-01T10:01:00Z");
        assertEquals(Duration.ofMillis(2500), Envelope.decode(e.nextRetry(now, now).encode()).softTimeLimit());
        assertEquals(Duration.ofMillis(2500), e.withRetriesReset(now).softTimeLimit());
        for (String odd : new String[] {"[null,-1]", "[null,0]", "[null,\"5\"]", "[null]", "[]", "7", "[null,1e300]"}) {
            String text = e.encode().replace("[30.0,2.5]", odd);
            assertNull(Envelope.decode(text).softTimeLimit(), odd);
        }
    }

    @Test
    void aRetryIsSentAgainWithItsRetryTimeAsEta() throws Exception {
        Instant now = Instant.parse("2031-05-01T10:00:00.250Z");
        Envelope next = sample().nextRetry(now, now.plusSeconds(30));
        assertEquals(3, next.retries());
        assertEquals(now.plusSeconds(30), next.eta());
        assertEquals(now, next.sentAt());
        assertEquals(next, Envelope.decode(next.encode()));
        Envelope again = sample().withRetriesReset(now);
        assertEquals(0, again.retries());
        assertNull(again.eta());
        assertEquals(now, again.sentAt());
    }

    @Test
    void aMessageWithoutSendTimeStillReads() throws Exception {
        String old = sample().encode().replaceFirst(",\"sent_at\":(null|\"[^\"]*\")", "");
        assertFalse(old.contains("sent_at"));
        assertNull(Envelope.decode(old).sentAt());
    }

    @Test
    void naiveTimesAreUtcAsInCelery() throws Exception {
        String text = sample().encode().replace("2030-01-01T00:00:00Z", "2030-01-01T00:00:00");
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), Envelope.decode(text).eta());
        String offset = sample().encode().replace("2030-01-01T00:00:00Z", "2030-01-01T01:00:00+01:00");
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), Envelope.decode(offset).eta());
    }

    @Test
    void rejectsMalformedMessagesWithAReason() {
        assertReason("not JSON", "{oops");
        assertReason("not a JSON object", "[1,2]");
        assertReason("missing envelope version", "{\"headers\":{}}");
        assertReason("unsupported envelope version 2", "{\"v\":2}");
        assertReason("missing 'headers'", "{\"v\":1}");
        assertReason("'body' must be", "{\"v\":1,\"headers\":{},\"body\":[[1],{}]}");
        assertReason("(args) must be an array", "{\"v\":1,\"headers\":{},\"body\":[{},{},{}]}");
        assertReason("keyword arguments", "{\"v\":1,\"headers\":{},\"body\":[[],{\"a\":1},{}]}");
        assertReason("missing header 'id'", "{\"v\":1,\"headers\":{\"task\":\"x\"},\"body\":[[],{},{}]}");
        assertReason("priority must be 0..9",
                "{\"v\":1,\"headers\":{\"id\":\"i\",\"task\":\"x\",\"queue\":\"q\",\"priority\":12},\"body\":[[],{},{}]}");
        assertReason("not an ISO-8601 time",
                "{\"v\":1,\"headers\":{\"id\":\"i\",\"task\":\"x\",\"queue\":\"q\",\"eta\":\"tomorrow\"},\"body\":[[],{},{}]}");
        assertReason("must be a string",
                "{\"v\":1,\"headers\":{\"id\":\"i\",\"task\":\"x\",\"queue\":\"q\",\"x\":1},\"body\":[[],{},{}]}");
    }

    private static void assertReason(String expected, String text) {
        Envelope.MalformedException e = assertThrows(Envelope.MalformedException.class, () -> Envelope.decode(text));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void refusesTextAfterTheEnvelope() throws Exception {
        String one = sample().encode();
        Envelope.MalformedException e = assertThrows(Envelope.MalformedException.class,
                () -> Envelope.decode(one + "\n\n" + one));
        assertTrue(e.getMessage().contains("text after the JSON value"), e.getMessage());
        assertThrows(Envelope.MalformedException.class, () -> Envelope.decode(one + "garbage"));
        assertThrows(Envelope.MalformedException.class, () -> Envelope.decode(one + "}"));
        assertEquals(sample(), Envelope.decode(" " + one + " \r\n\t "), "whitespace may follow");
    }
}
