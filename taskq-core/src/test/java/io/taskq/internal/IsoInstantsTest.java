package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    /** Every kind of fraction: none, milliseconds, microseconds, nanoseconds. */
    private static Instant random(SplittableRandom rnd, int i, long fromSecond, long toSecond) {
        return Instant.ofEpochSecond(rnd.nextLong(fromSecond, toSecond),
                switch (i % 4) {
                    case 0 -> 0;
                    case 1 -> rnd.nextInt(1000) * 1_000_000;
                    case 2 -> rnd.nextInt(1_000_000) * 1000;
                    default -> rnd.nextInt(1_000_000_000);
                });
    }

    @Test
    void formatPrintsWhatInstantToStringPrints() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            Instant t = random(rnd, i, -62_167_219_200L - 86_400L * 800, 253_402_300_799L + 86_400L * 800);
            assertEquals(t.toString(), IsoInstants.format(t));
        }
        for (Instant t : List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.ofEpochSecond(-1),
                Instant.ofEpochSecond(-1, 999_999_999), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00.100Z"),
                Instant.parse("2026-12-31T23:59:59.000001Z"), Instant.parse("1969-12-31T23:59:59.5Z"))) {
            assertEquals(t.toString(), IsoInstants.format(t));
        }
    }

    @Test
    void isoTimesParseAsInstantParseDoes() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant t = random(rnd, i, -62_135_596_800L, 253_402_300_799L);
            assertEquals(t, IsoInstants.parse(t.toString()), t.toString());
            assertEquals(t, IsoInstants.parse(IsoInstants.format(t)), t.toString());
        }
        for (String s : new String[] {"2026-11-21T20:21:03.Z", "2026-11-21T20:21:03.1234567891Z",
            "2026-11-21T24:00:00Z", "2026-11-21T20:60:00Z", "2026-11-21T20:21:60Z", "2026-13-01T00:00:00Z",
            "2026-11-31T00:00:00Z", "+2026-11-21T20:21:03Z", "2026-11-21 20:21:03Z", "2026-11-21T20:21:03+01:00",
            "2026-11-21T20:21:0xZ", "2026-11-21T20:21:03"}) {
            assertNull(IsoInstants.parse(s), s);
        }
    }
}
