package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.taskq.TaskState;
import io.taskq.contract.MutableClock;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis-specific behaviour beyond the shared contract: retention, script cache loss, start-up, key layout. */
class RedisBrokerTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static String prefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TaskMessage msg(String id) {
        return new TaskMessage(id, "q", "t", 4, null, "{}");
    }

    private static List<Delivery> claim(RedisBroker b, int max) throws InterruptedException {
        return b.claim(new ClaimRequest("w", List.of("q"), max, Duration.ofSeconds(30), Duration.ZERO));
    }

    private static TaskRecord success(Delivery d, MutableClock clock) {
        return new TaskRecord(d.id(), d.queue(), d.task(), TaskState.SUCCESS, "1", null, 0, d.attempt(), "w",
                clock.instant(), null);
    }

    /** Finishes one task the way a worker does (finishAndClaim), claiming nothing. */
    private static List<Boolean> finish(RedisBroker b, Outcome o) {
        return b.finishAndClaim(List.of(), Instant.EPOCH, List.of(o), null).accepted();
    }

    private static List<Delivery> claim(RedisBroker b, int max, Duration wait) throws InterruptedException {
        return b.claim(new ClaimRequest("w", List.of("q"), max, Duration.ofSeconds(30), wait));
    }

    /**
     * After a claim that got fewer tasks than asked, the consumer's next claim waits on the markers before claiming
     * (no empty claim); everything that makes work claimable meanwhile must still be found.
     */
    @Test
    void aClaimAfterAShortOneStillFindsWhatArrivedMeanwhile() throws Exception {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).clock(clock).build()) {
            Duration wait = Duration.ofSeconds(20);
            b.enqueue(List.of(msg("a")));
            assertEquals(1, claim(b, 2).size(), "short claim: the queue ran dry");
            // enqueued after the short claim
            b.enqueue(List.of(msg("b")));
            assertEquals(List.of("b"), claim(b, 2, wait).stream().map(Delivery::id).toList());
            // no wait at all: the claim still runs
            b.enqueue(List.of(msg("c")));
            assertEquals(List.of("c"), claim(b, 2).stream().map(Delivery::id).toList());
            // a delayed task coming due (time passing sets no marker)
            b.enqueue(List.of(new TaskMessage("d", "q", "t", 4, clock.instant().plusSeconds(5), "{}")));
            assertTrue(claim(b, 2).isEmpty());
            clock.advance(Duration.ofSeconds(6));
            assertEquals(List.of("d"), claim(b, 2, wait).stream().map(Delivery::id).toList());
            // a lease expiring (time passing again): redelivered
            clock.advance(Duration.ofSeconds(31));
            List<Delivery> again = claim(b, 8, wait);
            assertEquals(4, again.size(), "every lease of the consumer expired: a, b, c, d");
            // released by another worker
            b.release(List.of(again.get(0)));
            assertEquals(List.of(again.get(0).id()), claim(b, 8, wait).stream().map(Delivery::id).toList());
        }
    }

    @Test
    void recordsExpireAfterTheResultTtlByTheBrokersClock() throws Exception {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).clock(clock)
                .resultTtl(Duration.ofHours(1)).build()) {
            b.enqueue(List.of(msg("a")));
            Delivery d = claim(b, 1).get(0);
            assertTrue(finish(b, Outcome.done(d, success(d, clock))).get(0));
            clock.advance(Duration.ofMinutes(59));
            assertTrue(b.get("q", "a").isPresent());
            clock.advance(Duration.ofMinutes(2));
            assertTrue(b.get("q", "a").isEmpty(), "expired");
            assertEquals(List.of(true), b.enqueue(List.of(msg("a"))), "an expired id may be used again");
            Delivery again = claim(b, 1).get(0);
            assertEquals(1, again.attempt());
            finish(b, Outcome.done(again, success(again, clock)));
            // finishes trim expired records (a lone task's finish about one call in eight): nothing of the first
            // round is left in the hash after a few more tasks without results of their own
            clock.advance(Duration.ofHours(2));
            long[] left = {-1};
            for (int i = 0; i < 32 && left[0] != 0; i++) {
                b.enqueue(List.of(msg("b" + i)));
                Delivery db = claim(b, 1).get(0);
                finish(b, Outcome.done(db, null));
                server.with(r -> left[0] = r.hlen(BrokerInternals.queueKeyBase(b, "q") + ":res"));
            }
            assertEquals(0, left[0]);
        }
    }

    @Test
    void deadLettersAreCappedByCountAndAge() throws Exception {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).clock(clock)
                .deadLetterMaxCount(3).deadLetterMaxAge(Duration.ofDays(1)).build()) {
            List<TaskMessage> ms = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ms.add(msg("d" + i));
            }
            b.enqueue(ms);
            for (Delivery d : claim(b, 5)) {
                finish(b, Outcome.dead(d, success(d, clock), "no"));
            }
            assertEquals(List.of("d4", "d3", "d2"), b.deadLetters("q", 10).stream().map(x -> x.id()).toList());
            clock.advance(Duration.ofDays(2));
            b.enqueue(List.of(msg("late")));
            Delivery late = claim(b, 1).get(0);
            finish(b, Outcome.dead(late, success(late, clock), "no"));
            assertEquals(List.of("late"), b.deadLetters("q", 10).stream().map(x -> x.id()).toList());
        }
    }

    @Test
    void theCallersUriIsNotModifiedAndTheLastTopologyWins() throws Exception {
        RedisURI given = RedisURI.create(server.url());
        Duration timeout = given.getTimeout();
        // Cluster seeds that would never answer, then a URI: the URI replaces them.
        try (RedisBroker b = RedisBroker.builder().cluster("redis://127.0.0.1:1").uri(given).keyPrefix(prefix())
                .commandTimeout(Duration.ofSeconds(7)).build()) {
            assertEquals(List.of(true), b.enqueue(List.of(msg("a"))));
        }
        assertEquals(timeout, given.getTimeout(), "the broker copies the URI instead of setting its timeout");
        try (RedisScheduleStore st = RedisScheduleStore.builder().cluster("redis://127.0.0.1:1").uri(given)
                .keyPrefix(prefix()).build()) {
            assertTrue(st.entries().isEmpty());
        }
    }

    @Test
    void scriptsAreReloadedWhenRedisForgetsThem() throws Exception {
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).functions(false).build()) {
            assertFalse(BrokerInternals.usesFunctions(b));
            server.with(r -> r.scriptFlush());
            assertEquals(List.of(true), b.enqueue(List.of(msg("a"))));
            assertEquals("a", claim(b, 1).get(0).id());
        }
    }

    @Test
    void theFunctionLibraryIsReloadedWhenRedisForgetsIt() throws Exception {
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).build()) {
            assertTrue(BrokerInternals.usesFunctions(b), "Redis 7: the queue scripts run as a function library");
            server.with(r -> r.functionFlush(io.lettuce.core.FlushMode.SYNC));
            assertEquals(List.of(true), b.enqueue(List.of(msg("a"))));
            String[] libs = new String[1];
            server.with(r -> libs[0] = String.valueOf(r.functionList()));
            assertTrue(libs[0].contains("taskq_"), "loaded again: " + libs[0]);
            assertEquals("a", claim(b, 1).get(0).id());
            assertTrue(BrokerInternals.usesFunctions(b));
        }
    }

    @Test
    void aLibraryThatCannotBeLoadedAgainSendsTheBrokerBackToEvalsha() throws Exception {
        String user = "fn" + UUID.randomUUID().toString().substring(0, 8);
        server.with(r -> r.aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("pw")
                .allKeys().allChannels().allCommands()));
        RedisURI uri = RedisURI.create(server.url());
        uri.setUsername(user);
        uri.setPassword("pw".toCharArray());
        try (RedisBroker b = RedisBroker.builder().uri(uri).keyPrefix(prefix()).build()) {
            assertTrue(BrokerInternals.usesFunctions(b));
            // The ACL changes under the running broker, and the library is lost.
            server.with(r -> r.aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.removeCommand(
                    io.lettuce.core.protocol.CommandType.FUNCTION)));
            server.with(r -> r.functionFlush(io.lettuce.core.FlushMode.SYNC));
            assertEquals(List.of(true), b.enqueue(List.of(msg("a"))), "the refused call ran as EVAL");
            assertFalse(BrokerInternals.usesFunctions(b), "and the broker is back on EVALSHA");
            assertEquals(List.of(true), b.enqueue(List.of(msg("b"))));
            assertEquals(List.of("a", "b"), claim(b, 2).stream().map(Delivery::id).toList());
        } finally {
            server.with(r -> r.aclDeluser(user));
        }
    }

    @Test
    void claimWaitsOnTheMarkerAndWakesWhenADelayedTaskIsDue() throws Exception {
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).build()) {
            b.enqueue(List.of(new TaskMessage("later", "q", "t", 4, java.time.Instant.now().plusMillis(700), "{}")));
            List<Delivery> ds = b.claim(new ClaimRequest("w", List.of("q"), 1, Duration.ofSeconds(30),
                    Duration.ofSeconds(20)));
            assertEquals("later", ds.get(0).id(), "woken by the due time, not by the 20 s max wait");
        }
    }

    /**
     * A batch larger than one enqueue call (slices of 250), with runs of different tasks, priorities and etas,
     * non-ASCII bodies, repeated ids inside and across slices and an id revoked before it arrived: every message is
     * stored in the job layout workers of every version read ({@code score\ntask\nbody}, the score the one in
     * ready), byte for byte, and claimed by priority and then in submit order.
     */
    @Test
    void aBatchAcrossSlicesKeepsOrderBodiesAndLayout() throws Exception {
        batchKeepsOrderBodiesAndLayout(700); // sequence numbers reserved, job fields built by the broker
    }

    /** The same when the last slice of a batch with reserved numbers is a lone message (sent without its count). */
    @Test
    void aBatchEndingInALoneMessageKeepsOrderBodiesAndLayout() throws Exception {
        batchKeepsOrderBodiesAndLayout(251);
    }

    /** The same for a batch small enough that the script numbers the messages and builds their fields itself. */
    @Test
    void aSmallBatchKeepsOrderBodiesAndLayout() throws Exception {
        batchKeepsOrderBodiesAndLayout(21);
    }

    private void batchKeepsOrderBodiesAndLayout(int n) throws Exception {
        MutableClock clock = new MutableClock();
        String p = prefix();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(p).clock(clock).build()) {
            String revoked = "m" + (n * 333 / 700 / 10 * 10 + 3); // a "t.a" message
            b.revoke("q", revoked, "cancelled early");
            List<TaskMessage> ms = new ArrayList<>();
            List<Boolean> expected = new ArrayList<>();
            java.util.Set<String> ids = new java.util.HashSet<>();
            java.time.Instant later = clock.instant().plusSeconds(60);
            for (int i = 0; i < n; i++) {
                // runs: mostly long (one task, priority and eta), some of length 1
                String task = i % 10 < 7 ? "t.a" : i % 7 == 0 ? "t.ü" : "t.b";
                int priority = i < n * 4 / 7 ? 4 : i % 3 == 0 ? 9 : 4;
                java.time.Instant eta = i >= n * 6 / 7 && i % 2 == 0 ? later : null;
                // repeated ids: across slices (or at least calls' halves) and next to each other
                String id = i == n * 26 / 70 ? "m1" : i == n / 7 + 1 ? "m" + n / 7 : "m" + i;
                ms.add(new TaskMessage(id, "q", task, priority, eta,
                        "{\"n\":" + i + ",\"s\":\"zürich € \uD83D\uDE00 \\n\"}"));
                expected.add(ids.add(id));
            }
            assertEquals(expected, b.enqueue(ms));
            assertEquals(TaskState.REVOKED, b.get("q", revoked).orElseThrow().state());
            assertEquals("t.a", b.get("q", revoked).orElseThrow().task());
            // sent again (a re-sent call after a lost reply): nothing changes
            assertEquals(ms.stream().map(m -> false).toList(), b.enqueue(ms));

            List<TaskMessage> live = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (TaskMessage m : ms) {
                if (seen.add(m.id()) && !m.id().equals(revoked)) {
                    live.add(m);
                }
            }
            String base = BrokerInternals.queueKeyBase(b, "q");
            server.with(r -> {
                for (TaskMessage m : live) {
                    String job = r.hget(base + ":job", m.id());
                    String[] parts = job.split("\n", 3);
                    assertEquals(m.task(), parts[1], m.id());
                    assertEquals(m.body(), parts[2], m.id());
                    long score = Long.parseLong(parts[0]);
                    assertEquals(9 - m.priority(), score >> 49, m.id());
                    Double inReady = r.zscore(base + ":ready", m.id());
                    if (m.eta() == null) {
                        assertEquals(score, inReady.longValue(), m.id());
                    } else {
                        assertEquals(null, inReady, m.id());
                        assertEquals(m.eta().toEpochMilli(), r.zscore(base + ":delayed", m.id()).longValue());
                    }
                }
            });

            List<TaskMessage> order = new ArrayList<>(live.stream().filter(m -> m.eta() == null).toList());
            order.sort(java.util.Comparator.comparingInt(m -> -m.priority())); // stable: submit order inside
            List<Delivery> got = new ArrayList<>();
            for (List<Delivery> ds = claim(b, 100); !ds.isEmpty(); ds = claim(b, 100)) {
                got.addAll(ds);
            }
            assertEquals(order.stream().map(TaskMessage::id).toList(), got.stream().map(Delivery::id).toList());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(order.get(i).body(), got.get(i).body());
                assertEquals(order.get(i).task(), got.get(i).task());
            }
            assertEquals(live.size() - order.size(), b.stats("q").delayed());
        }
    }

    @Test
    void everyKeyOfAQueueSharesItsHashTag() throws Exception {
        String p = prefix();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(p).build()) {
            b.enqueue(List.of(msg("a"), new TaskMessage("z", "q", "t", 4, java.time.Instant.now().plusSeconds(60),
                    "{}")));
            Delivery d = claim(b, 1).get(0);
            finish(b, Outcome.dead(d, success(d, new MutableClock()), "x"));
            b.revoke("q", "unknown", "r");
            b.tryAcquire("l", "me", Duration.ofSeconds(5));
            List<String> keys = new ArrayList<>();
            server.with(r -> keys.addAll(r.keys("*" + p + "*")));
            assertFalse(keys.isEmpty());
            for (String k : keys) {
                assertTrue(k.startsWith("{" + p + ":q}:") || k.startsWith("{" + p + "}:lease:")
                        || k.equals("{" + p + "}:queues"), k);
            }
        }
    }

    @Test
    void theUriIsLoggedWithoutItsPassword() {
        String s = io.taskq.redis.internal.Endpoint.masked(RedisURI.create("redis://user:secret@host:6380/2"));
        assertEquals("redis://user:****@host:6380/2", s);
        assertFalse(s.contains("secret"));
    }

    @Test
    void aBadPrefixIsRefused() {
        for (String bad : new String[] {"", "a:b", "{x}", "sp ace"}) {
            try {
                RedisBroker.builder().keyPrefix(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // fine
            }
        }
    }
}
