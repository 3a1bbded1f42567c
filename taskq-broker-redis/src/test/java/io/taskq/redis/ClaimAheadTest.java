package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ScriptOutputType;
import io.taskq.TaskState;
import io.taskq.contract.Await;
import io.taskq.redis.internal.ScriptLoader;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims sent ahead: an idle consumer of one queue queues its claim behind its blocking marker wait, so the claim
 * runs the moment the wait returns. Such a claim runs later than it was sent and must take its time from Redis;
 * a refused one (script cache flushed) must fall back to an ordinary claim.
 */
class ClaimAheadTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static String prefix() {
        return "ca" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TaskMessage msg(String id) {
        return new TaskMessage(id, "q", "t", 4, null, "{}");
    }

    private static CompletableFuture<List<Delivery>> claimAsync(RedisBroker b, Duration wait) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return b.claim(new ClaimRequest("w", List.of("q"), 1, Duration.ofSeconds(30), wait));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long commandCalls(String command) {
        long[] calls = new long[1];
        server.with(r -> {
            for (String line : r.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_" + command + ":calls=")) {
                    calls[0] = Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
                }
            }
        });
        return calls[0];
    }

    private static long blockedClients() {
        long[] n = new long[1];
        server.with(r -> {
            for (String line : r.info("clients").split("\r?\n")) {
                if (line.startsWith("blocked_clients:")) {
                    n[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        });
        return n[0];
    }

    @Test
    void aClaimSentAheadTakesItsTimeFromRedisNotFromWhenItWasSent() throws Exception {
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).build()) {
            long timeCalls = commandCalls("time");
            long blockedBefore = blockedClients();
            CompletableFuture<List<Delivery>> claim = claimAsync(b, Duration.ofSeconds(20));
            Await.until(Duration.ofSeconds(10), "the claim waits on the marker", () -> blockedClients() > blockedBefore);
            long sentBy = System.currentTimeMillis();
            // Let the claim queued behind the wait grow old: with the time it was sent, its lease would end early.
            Thread.sleep(1500);
            long enqueuedAt = System.currentTimeMillis();
            b.enqueue(List.of(msg("a")));
            List<Delivery> got = claim.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("a"), got.stream().map(Delivery::id).toList());
            assertTrue(commandCalls("time") > timeCalls, "the claim ran behind the wait and read Redis's clock");

            Double[] lease = new Double[1];
            server.with(r -> lease[0] = r.zscore(BrokerInternals.queueKeyBase(b, "q") + ":active", "a"));
            assertTrue(lease[0] >= enqueuedAt + 30_000 - 50,
                    "lease counted from the claim's run, not from its sending (" + (lease[0] - sentBy) + " ms)");
            TaskRecord r = b.get("q", "a").orElseThrow();
            assertEquals(TaskState.RECEIVED, r.state());
            assertTrue(!r.updatedAt().isBefore(Instant.ofEpochMilli(enqueuedAt - 50)), r.updatedAt().toString());
        }
    }

    @ParameterizedTest(name = "functions {0}")
    @ValueSource(booleans = {false, true})
    void aClaimSentAheadAndRefusedFallsBackToAnOrdinaryClaim(boolean functions) throws Exception {
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).functions(functions)
                .build()) {
            assertEquals(functions, BrokerInternals.usesFunctions(b));
            long blockedBefore = blockedClients();
            CompletableFuture<List<Delivery>> claim = claimAsync(b, Duration.ofSeconds(20));
            Await.until(Duration.ofSeconds(10), "the claim waits on the marker", () -> blockedClients() > blockedBefore);
            // The script cache or the function library is lost while the claim waits (a restart, a failover): the
            // claim queued behind the wait is refused (NOSCRIPT, "Function not found") and did not run.
            if (functions) {
                server.with(r -> r.functionFlush(io.lettuce.core.FlushMode.SYNC));
            } else {
                server.with(r -> r.scriptFlush());
            }
            b.enqueue(List.of(msg("a")));
            assertEquals(List.of("a"), claim.get(10, TimeUnit.SECONDS).stream().map(Delivery::id).toList());
            // ... and the next wait sends its claim ahead again.
            long blockedNow = blockedClients();
            CompletableFuture<List<Delivery>> next = claimAsync(b, Duration.ofSeconds(20));
            Await.until(Duration.ofSeconds(10), "the claim waits on the marker", () -> blockedClients() > blockedNow);
            b.enqueue(List.of(msg("b")));
            assertEquals(List.of("b"), next.get(10, TimeUnit.SECONDS).stream().map(Delivery::id).toList());
        }
    }

    @Test
    void scriptsFormatTimesExactlyAsJavaInstantsDo() {
        String lib = ScriptLoader.prelude();
        String script = lib + "\nlocal r = {}\nfor i = 9, #ARGV do r[#r + 1] = iso_ms(tonumber(ARGV[i])) end\n"
                + "return r\n";
        List<Long> times = new ArrayList<>(List.of(0L, 1L, 999L, 1000L, 86_399_999L, 951_782_400_000L,
                951_868_799_999L, 4_107_542_400_000L, 253_402_300_799_999L, System.currentTimeMillis()));
        Random rnd = new Random(42);
        for (int i = 0; i < 500; i++) {
            times.add((long) (rnd.nextDouble() * 13_000_000_000_000L)); // 1970 .. ~2382
            times.add(rnd.nextLong(400) * 86_400_000L + rnd.nextInt(3) * 1000L); // midnights, whole seconds
        }
        List<String> argv = new ArrayList<>(List.of("0", "x", "q", "0", "0", "0", "0", "c"));
        times.forEach(t -> argv.add(Long.toString(t)));
        List<Object> got = new ArrayList<>();
        server.with(r -> got.addAll(r.eval(script, ScriptOutputType.MULTI, new String[0], argv.toArray(new String[0]))));
        for (int i = 0; i < times.size(); i++) {
            assertEquals(Instant.ofEpochMilli(times.get(i)).toString(), got.get(i), "at " + times.get(i));
        }
    }
}
