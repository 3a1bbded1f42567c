package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskState;
import io.taskq.contract.MutableClock;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis-specific parts of lookup by id and of revoke markers: the queue registry key, partitions, marker trimming. */
class LookupAndRevokeMarkerTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static String prefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TaskMessage msg(String id, String queue) {
        return new TaskMessage(id, queue, "t", 4, null, "{}");
    }

    private static long count(String command, String key) {
        long[] n = new long[1];
        server.with(c -> n[0] = command.equals("HLEN") ? c.hlen(key) : c.zcard(key));
        return n[0];
    }

    @Test
    void revokesOfUnknownIdsExpireAndAreTrimmedBoundedPerCall() {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).clock(clock)
                .revokeMarkerTtl(Duration.ofMinutes(10)).build()) {
            String base = BrokerInternals.queueKeyBase(b, "q");
            for (int i = 0; i < 250; i++) {
                assertEquals(RevokeResult.NOT_FOUND, b.revoke("q", "ghost-" + i, "never comes"));
            }
            assertEquals(250, count("HLEN", base + ":rev"));
            assertEquals(250, count("ZCARD", base + ":revx"));

            clock.advance(Duration.ofMinutes(10));
            for (int i = 0; i < 3; i++) {
                b.revoke("q", "new-" + i, "x");
            }
            assertEquals(3, count("HLEN", base + ":rev"), "each revoke deletes up to 100 expired markers");
            assertEquals(3, count("ZCARD", base + ":revx"));

            // enqueue consumes a live marker (revoked on arrival) and drops an expired one with its index entry
            b.enqueue(List.of(msg("new-0", "q")));
            assertEquals(TaskState.REVOKED, b.get("q", "new-0").orElseThrow().state());
            clock.advance(Duration.ofMinutes(10));
            b.enqueue(List.of(msg("new-1", "q")));
            assertTrue(b.get("q", "new-1").isEmpty(), "an expired marker no longer revokes");
            assertEquals(1, count("HLEN", base + ":rev"));
            assertEquals(1, count("ZCARD", base + ":revx"));
        }
    }

    @Test
    void queuesAreRegisteredPerPrefixWithTheirPartitionsAndFoundByAnyBroker() {
        MutableClock clock = new MutableClock();
        String prefix = prefix();
        try (RedisBroker producer = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).clock(clock)
                .partitions("hot", 3).build();
             RedisBroker other = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).clock(clock).build();
             RedisBroker otherPrefix = RedisBroker.builder().uri(server.url()).keyPrefix(prefix())
                     .clock(clock).build()) {
            List<TaskMessage> ms = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add("h" + i);
                ms.add(msg("h" + i, "hot"));
            }
            producer.enqueue(ms);
            producer.enqueue(List.of(msg("c1", "cold")));
            Map<String, String> registry = new java.util.HashMap<>();
            server.with(c -> registry.putAll(c.hgetall("{" + prefix + "}:queues")));
            assertEquals(Map.of("hot", "3", "cold", "1"), registry);

            assertEquals(Set.of("cold", "hot"), other.queues());
            ids.add("c1");
            Map<String, TaskLocation> found = other.locate(ids);
            assertEquals(ids, List.copyOf(found.keySet()), "every partition asked about its own ids");
            assertTrue(found.values().stream().allMatch(l -> l.place() == TaskLocation.Place.QUEUED));
            assertEquals("hot", found.get("h5").queue(), "the logical queue, not the partition");
            assertEquals("cold", found.get("c1").queue());

            assertTrue(otherPrefix.queues().isEmpty());
            assertTrue(otherPrefix.locate(ids).isEmpty(), "another prefix is another namespace");
        }
    }

    @Test
    void aLookupOfManyIdsIsBatched() {
        MutableClock clock = new MutableClock();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).clock(clock).build()) {
            List<TaskMessage> ms = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                ids.add("m" + i);
                if (i % 2 == 0) {
                    ms.add(msg("m" + i, "q"));
                }
            }
            b.enqueue(ms);
            Map<String, TaskLocation> found = b.locate(ids);
            assertEquals(600, found.size());
            assertTrue(found.containsKey("m1198"));
        }
    }
}
