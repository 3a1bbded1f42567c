package io.taskq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void readsShortAndIsoDurations() {
        assertEquals(Duration.ofMinutes(15), Formats.parseDuration("15m"));
        assertEquals(Duration.ofSeconds(90), Formats.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(90), Formats.parseDuration("1h30m"));
        assertEquals(Duration.ofMillis(250), Formats.parseDuration("250ms"));
        assertEquals(Duration.ofDays(2), Formats.parseDuration("2d"));
        assertEquals(Duration.ofSeconds(30), Formats.parseDuration("PT30S"));
        assertEquals(Duration.ofDays(1), Formats.parseDuration("p1d"));
        for (String bad : List.of("", "15", "m", "15x", "1h 30m", "PTx", "15m!")) {
            assertThrows(IllegalArgumentException.class, () -> Formats.parseDuration(bad), bad);
        }
    }

    @Test
    void writesDurationsAndAgesForPeople() {
        assertEquals("250ms", Formats.duration(Duration.ofMillis(250)));
        assertEquals("42s", Formats.duration(Duration.ofSeconds(42)));
        assertEquals("15m", Formats.duration(Duration.ofMinutes(15)));
        assertEquals("2h5m", Formats.duration(Duration.ofMinutes(125)));
        assertEquals("3d4h", Formats.duration(Duration.ofHours(76)));
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        assertEquals("3s ago", Formats.ago(now.minusSeconds(3), now));
        assertEquals("in 5m", Formats.ago(now.plusSeconds(300), now));
        assertEquals("-", Formats.ago(null, now));
        assertEquals("2026-01-01T12:00:00Z", Formats.instant(now.plusMillis(123)));
    }

    @Test
    void ratesAreWrittenAsTheyAreReadInTheLargestWholeUnit() {
        for (String text : List.of("20/s", "600/m", "5/10s", "3/1500ms", "1/d", "7/2h", "100/ms")) {
            assertEquals(text, Formats.rate(io.taskq.RateLimit.parse(text)), text);
        }
        assertEquals("2/m", Formats.rate(io.taskq.RateLimit.parse("2/60s")));
        assertEquals("10/s", Formats.rate(io.taskq.RateLimit.parse("10/s").withBurst(5)));
    }

    @Test
    void cellsAreOneLineAndDashForNothing() {
        assertEquals("-", Formats.cell(null));
        assertEquals("-", Formats.cell(" "));
        assertEquals("a b", Formats.cell("a\nb"));
        assertEquals("x,y", Formats.cell(List.of("x", "y")));
        assertEquals("abc…", Formats.abbreviate("abcdefgh", 4));
        assertEquals("abc", Formats.abbreviate("abc", 4));
    }

    @Test
    void tablesAlignColumnsWithoutTrailingSpaces() {
        StringWriter s = new StringWriter();
        new Table("QUEUE", "READY", "NOTE").row("default", 12, null).row("q", 3, "x").print(new PrintWriter(s));
        assertEquals("QUEUE    READY  NOTE\n"
                + "default  12     -\n"
                + "q        3      x\n", s.toString().replace(System.lineSeparator(), "\n"));
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }
}
