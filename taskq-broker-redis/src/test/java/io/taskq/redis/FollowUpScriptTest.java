package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.taskq.TaskState;
import io.taskq.contract.MutableClock;
import io.taskq.internal.JsonText;
import io.taskq.redis.internal.Scripts;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Follow-ups on Redis beyond the contract: the finish script checks them before it writes anything (a client that
 * sends a bad one changes nothing, the start report of the same call included), and this client refuses an
 * over-long one before sending.
 */
class FollowUpScriptTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final String[] SUFFIXES = {"job", "att", "ready", "delayed", "active", "res", "resx", "rev", "dead",
        "dinfo", "seq", "marker", "revx"};

    @Test
    void aFollowUpTheScriptRefusesLeavesEverythingAsItWas() throws Exception {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix("f" + UUID.randomUUID().toString()
                .substring(0, 8)).clock(clock).build()) {
            b.enqueue(List.of(new TaskMessage("p", "q", "t", 4, null, "{}")));
            Delivery d = b.claim(new ClaimRequest("w", List.of("q"), 1, Duration.ofSeconds(30), Duration.ZERO, 0))
                    .get(0);
            String[] keys = new String[SUFFIXES.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = BrokerInternals.queueKeyBase(b, "q") + ":" + SUFFIXES[i];
            }
            Instant now = clock.instant();
            TaskRecord done = new TaskRecord("p", "q", "t", TaskState.SUCCESS, "1", null, 0, 1, "w", now, null);
            List<String> args = new ArrayList<>(List.of(Long.toString(now.toEpochMilli()), now.toString(), "q",
                    "86400000", "5", "10000", "2592000000", "{x}:final", "1114112"));
            args.addAll(List.of("1", now.toString(), "p", Long.toString(d.token())));          // started
            args.addAll(List.of("1", "p", Long.toString(d.token()), "D", JsonText.record(done), "", "", "")); // finish
            args.addAll(List.of("1", "1", "0", "q", "child", "t", "high", "", "{}"));       // a bad priority
            args.addAll(List.of("", "0", "0", "0", ""));                                       // claim nothing
            String source = new Scripts().source(Scripts.Name.FINISH_CLAIM);
            RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                    () -> server.with(r -> r.eval(source, ScriptOutputType.MULTI, keys, args.toArray(new String[0]))));
            assertTrue(e.getMessage().contains("follow-up 1 refused: priority"), e.getMessage());
            TaskLocation p = b.locate(List.of("p", "child")).get("p");
            assertEquals(TaskLocation.Place.RUNNING, p.place(), "not finished");
            assertEquals(TaskState.RECEIVED, p.record().state(), "not even marked started");
            assertTrue(b.locate(List.of("child")).isEmpty());

            TaskMessage huge = new TaskMessage("big", "q", "t", 4, null, "x".repeat(1200 * 1024));
            assertThrows(IllegalArgumentException.class, () -> b.finishAndClaim(List.of(), now,
                    List.of(Outcome.done(d, done).withFollowUps(List.of(huge))), null));
            assertEquals(TaskLocation.Place.RUNNING, b.locate(List.of("p")).get("p").place());
            assertEquals(List.of(true), b.finishAndClaim(List.of(), now, List.of(Outcome.done(d, done)
                    .withFollowUps(List.of(new TaskMessage("child", "q", "t", 4, null, "{}")))), null).accepted());
            assertEquals(TaskLocation.Place.QUEUED, b.locate(List.of("child")).get("child").place());
        }
    }
}
