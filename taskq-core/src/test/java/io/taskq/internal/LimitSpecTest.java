package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskq.RateLimit;
import io.taskq.contract.Golden;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits header: its text, its place in the envelope (the golden message) and the rate syntax. */
class LimitSpecTest {
    private static final String ID = "0636dca0-ee9a-4a16-9f21-47e59b090c49";

    static Envelope exampleLimitedEnvelope() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("tenant", "acme");
        headers.put(LimitSpec.HEADER, new LimitSpec(List.of(
                new LimitSpec.Entry("task:email.send", "acme", RateLimit.parse("100/s"), 0),
                new LimitSpec.Entry("queue:email", "", RateLimit.parse("1000/s"), 0),
                new LimitSpec.Entry("task:email.send", "acme", null, 5))).text());
        return new Envelope(ID, "email.send", "email", 4, Json.mapper().createArrayNode().add("acme")
                .add("ada@example.com"), null, null, 0, null, null, null, false, "4242@app-1", headers,
                Instant.parse("2026-11-21T17:43:04.576Z"));
    }

    @Test
    void theLimitsAreTheFirstHeaderOfTheGoldenMessage() throws Exception {
        String golden = Golden.compact("envelope-limits.json");
        assertEquals(golden, exampleLimitedEnvelope().encode());
        assertEquals(golden, exampleLimitedEnvelope().encodeWithTree());
        assertEquals(exampleLimitedEnvelope(), Envelope.decode(Golden.text("envelope-limits.json")));
        LimitSpec spec = LimitSpec.ofBody(golden);
        assertEquals(3, spec.entries().size());
        assertEquals(5, spec.entries().get(2).maxRunning());
        assertEquals(RateLimit.parse("100/s"), spec.entries().get(0).rate());
    }

    @Test
    void namesAndKeysAreEncodedSoTheTextHoldsNoSeparatorOrQuote() {
        LimitSpec s = new LimitSpec(List.of(new LimitSpec.Entry("task:a|b c", "ten\"ant %é",
                RateLimit.of(3, Duration.ofSeconds(1)).withBurst(2), 0)));
        assertEquals("r|task:a%7Cb%20c|ten%22ant%20%25%C3%A9|3|1000|2", s.text());
        assertEquals(s, LimitSpec.parse(s.text()));
        assertThrows(IllegalArgumentException.class, () -> LimitSpec.parse("x|y"));
        assertNull(LimitSpec.ofBody("{\"v\":1,\"headers\":{\"lang\":\"java\"}}"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LimitSpec.ofBody(LimitSpec.BODY_PREFIX + "r|bad\""), "unreadable: the claim dead-letters it");
        assertEquals("malformed limits header \"r|bad\": unknown limit entry 'r|bad'", bad.getMessage());
        assertEquals(Map.of("a", "b"), LimitSpec.without(Map.of("a", "b", LimitSpec.HEADER, "x")));
    }

    @Test
    void ratesParse() {
        assertEquals(RateLimit.of(100, Duration.ofSeconds(1)), RateLimit.parse("100/s"));
        assertEquals(RateLimit.of(5, Duration.ofSeconds(10)), RateLimit.parse("5 / 10s"));
        assertEquals(RateLimit.of(10, Duration.ofMinutes(1)), RateLimit.parse("10/m"));
        assertEquals(10_000, RateLimit.parse("100/s").intervalMicros());
        assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("100"));
        assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("2000000/s"), "more than one per us");
        assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("1/s").withBurst(0));
    }
}
