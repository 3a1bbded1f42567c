package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.redis.internal.QueueScripts.Call;
import io.taskq.redis.internal.QueueScripts.ClaimPart;
import io.taskq.redis.internal.Scripts.Name;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The KEYS and ARGV each script call gets, in the order the Lua scripts read them; no Redis needed. */
class QueueScriptsUnitTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final BrokerConfig CONFIG = new BrokerConfig("live", Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofHours(1), 5, 100, Duration.ofDays(2), Duration.ofMinutes(3), 4096, true,
            endpoint(), Map.of(), 10_000);
    private final Keys keys = new Keys("live");
    private final QueueScripts calls = new QueueScripts(null, null, keys, CONFIG);

    private static Endpoint endpoint() {
        Endpoint e = new Endpoint();
        e.uri(Endpoint.parse("redis://localhost:6379"));
        return e;
    }

    private static Delivery delivery(String id, long token) {
        return new Delivery(id, "q", "t", 4, "{}", 1, token);
    }

    /** The common arguments of lib-state.lua, then the given ones. */
    private static List<String> args(String... own) {
        List<String> a = new ArrayList<>(List.of(Long.toString(NOW.toEpochMilli()), NOW.toString(), "q", "3600000",
                "5", "100", "172800000", "{live}:final", "4096"));
        a.addAll(List.of(own));
        return a;
    }

    @Test
    void everyQueueScriptStartsWithTheCommonArgumentsAndRunsOnItsPartitionsKeys() {
        assertEquals(args(), calls.common("q"));
        Call c = calls.inspect("q", "q#3", "stats");
        assertEquals(Name.INSPECT, c.script());
        assertArrayEquals(keys.queue("q#3"), c.keys());
        assertEquals("{live:q#3}:job", c.keys()[0]);
        assertEquals(13, c.keys().length);
        assertEquals(args("stats"), c.args());
    }

    @Test
    void adminPurgeAndDeadScanTakeTheirArgumentsInAdminLuasOrder() {
        Call purge = calls.purgeReady("q", "q#1", 1000);
        assertEquals(Name.ADMIN, purge.script());
        assertArrayEquals(keys.queue("q#1"), purge.keys());
        assertEquals(args("purge", "1000"), purge.args());
        assertEquals(args("dead", "find", "", "", "", "", "", "", "250", "100"),
                calls.deadScan("q", "q", "find", null, null, null, null, null, null, 250, 100).args(),
                "no bound, no filter, no cursor: empty strings");
        assertEquals(args("dead", "delete", "10", "20", "t.a", "x.Boom", "15", "id-1", "1000", "7"),
                calls.deadScan("q", "q", "delete", 10L, 20L, "t.a", "x.Boom", 15L, "id-1", 1000, 7).args());
    }

    @Test
    void claimTakesConsumerMaxLeaseStartNowAndFence() {
        Call c = calls.claim("q", "q", "w1", 8, 30_000, 2, "123");
        assertEquals(Name.CLAIM, c.script());
        assertEquals(args("w1", "8", "30000", "2", "123"), c.args());
    }

    @Test
    void startedRenewAndReleaseListIdAndTokenPairs() {
        List<Delivery> ds = List.of(delivery("a", 7), delivery("b", 9));
        Instant at = Instant.parse("2026-01-02T03:00:00Z");
        assertEquals(args("2", at.toString(), "a", "7", "b", "9"), calls.started("q", "q", at, ds).args());
        assertEquals(args("2", "60000", "a", "7", "b", "9"), calls.renew("q", "q", 60_000, ds).args());
        assertEquals(args("2", "a", "7", "b", "9"), calls.release("q", "q", ds).args());
        assertEquals(Name.RENEW, calls.renew("q", "q", 1, ds).script());
        assertEquals(Name.RELEASE, calls.release("q", "q", ds).script());
    }

    @Test
    void revokeCarriesTheMarkerTtlAndResubmitTheBody() {
        assertEquals(args("id1", "why", "180000"), calls.revoke("q", "q", "id1", "why").args());
        assertEquals(args("id1", "{\"x\":1}"), calls.resubmit("q", "q", "id1", "{\"x\":1}").args());
    }

    @Test
    void finishClaimListsStartsOutcomesFollowUpsThenTheClaim() {
        Instant at = Instant.parse("2026-01-02T03:00:00Z");
        Outcome done = Outcome.done(delivery("b", 9), null);
        Call c = calls.finishClaim("q", "q", List.of(delivery("a", 7)), at, List.of(done), null,
                new ClaimPart("w1", 3, 30_000, 1, "99"));
        assertEquals(Name.FINISH_CLAIM, c.script());
        String[] withLimits = java.util.Arrays.copyOf(keys.queue("q"), 14);
        withLimits[13] = keys.limits("q"); // the claim body's limits hash, last
        assertArrayEquals(withLimits, c.keys());
        assertEquals(args("1", at.toString(), "a", "7", "1", "b", "9", "D", "", "", "", "", "0", "w1", "3",
                "30000", "1", "99"), c.args());
        Call none = calls.finishClaim("q", "q", List.of(), at, List.of(), null, QueueScripts.noClaim());
        assertEquals(args("0", at.toString(), "0", "0", "", "0", "0", "0", ""), none.args());
        assertArrayEquals(keys.queue("q"), none.keys(), "no claim: no limits key");
    }

    @Test
    void leaseIsNotAQueueScript() {
        Call c = calls.lease("acquire", "leader", "me", 10_000);
        assertEquals(Name.LEASE, c.script());
        assertArrayEquals(new String[] {"{live}:lease:leader"}, c.keys());
        assertEquals(List.of("acquire", Long.toString(NOW.toEpochMilli()), "me", "10000"), c.args());
    }
}
