package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.contract.MutableClock;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queue operations on entries the scripts did not write, or wrote with text that needs escaping: dead letters
 * in another JSON form are matched by decoding them, reasons with quotes and slashes are matched exactly, damaged
 * entries are skipped by task and error-type filters and taken by time alone, and the admin script refuses bad
 * arguments before it writes anything.
 */
class QueueOperationsEntriesTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void deadLettersInAnyFormAreMatchedExactly() {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = server.broker(clock, x -> x)) {
            String dead = "{" + prefixOf(b) + ":q}:dead";
            String dinfo = "{" + prefixOf(b) + ":q}:dinfo";
            long now = clock.millis();
            server.with(r -> {
                r.zadd(dead, now, "spaced");
                r.hset(dinfo, "spaced", "{ \"task\" : \"t/a\", \"reason\" : \"failed: x.Boom: no\","
                        + " \"body\": \"{}\" }");
                r.zadd(dead, now, "quoted");
                r.hset(dinfo, "quoted", "{\"reason\":\"failed: \\\"x.Boom: q\\\" \\\\: x.Boom\",\"task\":\"t\\/a\","
                        + "\"body\":\"{\\\"task\\\":\\\"t.b\\\"}\"}");
                r.zadd(dead, now, "damaged");
                r.hset(dinfo, "damaged", "not json");
                r.zadd(dead, now, "bodyonly");
                r.hset(dinfo, "bodyonly", "{\"task\":\"t.c\",\"reason\":\"lease expired\",\"body\":"
                        + "\"failed: x.Boom: \\\"task\\\":\\\"t.b\\\"\"}");
            });
            clock.advance(Duration.ofSeconds(1));
            assertEquals(List.of("quoted", "spaced"), ids(b, DeadLetterFilter.builder().task("t/a").build()),
                    "a name with a '/' (escaped by cjson) and an entry with spaces (decoded)");
            assertEquals(List.of("quoted", "spaced"), ids(b, DeadLetterFilter.builder().errorType("x.Boom").build()),
                    "only the reason counts, not the body");
            assertEquals(List.of(), ids(b, DeadLetterFilter.builder().task("t.b").build()), "nor a task in the body");
            assertEquals(4, ids(b, DeadLetterFilter.builder().olderThan(Duration.ofMillis(500)).build()).size(),
                    "by time alone the damaged one too");
            assertEquals(1, b.deleteDeadLetters("q", DeadLetterFilter.builder().task("t.c").build(), 10));
            assertEquals(3, b.deleteDeadLetters("q", DeadLetterFilter.all(), Long.MAX_VALUE));
            assertEquals(0, b.stats("q").dead());
        }
    }

    @Test
    void theAdminScriptRefusesBadArgumentsBeforeWriting() {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = server.broker(clock, x -> x)) {
            b.enqueue(List.of(new TaskMessage("a", "q", "t", 4, null, "{}")));
            RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                    () -> b.calls().run(b.calls().purgeReady("q", "q", 0), io.lettuce.core.ScriptOutputType.MULTI));
            assertTrue(e.getMessage().contains("limit"), e.getMessage());
            assertThrows(RedisCommandExecutionException.class, () -> b.calls().run(b.calls().deadScan("q", "q", "drop",
                    null, null, null, null, null, null, 10, 10), io.lettuce.core.ScriptOutputType.MULTI));
            assertThrows(RedisCommandExecutionException.class, () -> b.calls().run(b.calls().deadScan("q", "q", "find",
                    null, null, null, null, null, "x", 10, 10), io.lettuce.core.ScriptOutputType.MULTI),
                    "a cursor id without its time");
            assertEquals(1, b.stats("q").ready(), "nothing was purged");
        }
    }

    private static List<String> ids(RedisBroker b, DeadLetterFilter f) {
        List<String> out = new java.util.ArrayList<>();
        String cursor = null;
        do {
            DeadLetterPage p = b.findDeadLetters("q", f, 100, cursor);
            p.deadLetters().stream().map(DeadLetter::id).forEach(out::add);
            cursor = p.next();
        } while (cursor != null);
        return out;
    }

    private static String prefixOf(RedisBroker b) {
        return b.calls().keys().base("q").replaceAll("^\\{|:q}$", "");
    }
}
