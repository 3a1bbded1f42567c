package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.taskq.contract.MutableClock;
import io.taskq.redis.internal.Scripts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chord-join script beyond the contract: hostile or malformed joins are refused before anything is written
 * (Redis keeps what a failing script wrote), so a good join in the same call is not applied either.
 */
class ChordJoinScriptTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final String[] SUFFIXES = {"job", "att", "ready", "delayed", "active", "res", "resx", "rev", "dead",
        "dinfo", "seq", "marker", "revx"};

    @Test
    void aMalformedJoinLeavesEverythingAsItWas() throws Exception {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix("c" + UUID.randomUUID().toString()
                .substring(0, 8)).clock(clock).build()) {
            String base = BrokerInternals.queueKeyBase(b, "cb");
            List<String> keys = new ArrayList<>();
            for (String s : SUFFIXES) {
                keys.add(base + ":" + s);
            }
            String chordKey = base + ":chord:ch-1";
            keys.add(chordKey);
            Instant now = clock.instant();
            String source = new Scripts().source(Scripts.Name.CHORD_JOIN);
            for (List<String> bad : List.of(
                    join("0", "1", "9"),          // a good join, then one whose index is not below its size
                    join("0", "1", "1.5"),        // a fractional index
                    join("0", "high", "1"))) {    // a bad priority on the callback
                List<String> args = new ArrayList<>(List.of(Long.toString(now.toEpochMilli()), now.toString(), "cb",
                        "86400000", "5", "10000", "2592000000", "{x}:final", "1114112", "1", "1", "2"));
                args.addAll(join("0", "4", "0"));
                args.addAll(bad);
                RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                        () -> server.with(r -> r.eval(source, ScriptOutputType.INTEGER,
                                keys.toArray(new String[0]), args.toArray(new String[0]))));
                assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
                server.with(r -> assertEquals(0L, r.exists(chordKey), "the good join was not applied"));
            }
            assertEquals(0, b.stats("cb").ready());
        }
    }

    /** One success join of member {@code index} (of {@code size} 2) with a callback of priority {@code prio}. */
    private static List<String> join(String group, String prio, String index) {
        return List.of("1", index, "2", "1", "7", group, "cb", "cb-1", "t", prio, "", "{\"a\":", "1", "}", "", "0");
    }
}
