package io.taskq.redis.cluster;

import io.taskq.redis.BrokerInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The schedule store's topologies: a Cluster store built from a Cluster broker (same seeds and prefix, keys in the
 * store's one slot), a change heard by a subscription on another node than the slot's master, and a store behind
 * Sentinel.
 */
class ScheduleStoreTopologyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ScheduleAuditRecord audit(String entry, String action) {
        return new ScheduleAuditRecord(Instant.now(), entry, action, "tester", null, null, null);
    }

    private static long numSub(LocalRedis node, String channel) {
        String[] lines = node.cli("PUBSUB", "NUMSUB", channel).trim().split("\n");
        return lines.length < 2 ? 0 : Long.parseLong(lines[1].trim());
    }

    @Test
    void aClusterStoreFromTheBrokerHearsChangesOnAnyNode() {
        try (LocalCluster cluster = LocalCluster.start(3, 0);
             RedisBroker broker = RedisBroker.builder().cluster(cluster.seeds()).keyPrefix("topo").build();
             RedisScheduleStore writer = RedisScheduleStore.builder().from(broker).build()) {
            assertEquals("topo", writer.keyPrefix(), "the broker's prefix is taken over");
            assertTrue(writer.toString().contains("cluster"), writer.toString());

            // Listeners (each its own cluster client) until one subscribes on a node that does not hold the
            // store's slot: the change published by the script on the slot's master must reach it over the bus.
            LocalRedis slotMaster = cluster.masterOf("{topo}");
            List<RedisScheduleStore> listeners = new ArrayList<>();
            List<AtomicInteger> calls = new ArrayList<>();
            try {
                while (true) {
                    RedisScheduleStore l = RedisScheduleStore.builder().from(broker).build();
                    listeners.add(l);
                    AtomicInteger n = new AtomicInteger();
                    calls.add(n);
                    l.subscribe(n::incrementAndGet);
                    long elsewhere = cluster.nodes().stream().filter(r -> r != slotMaster)
                            .mapToLong(r -> numSub(r, BrokerInternals.channel(writer))).sum();
                    if (elsewhere > 0) {
                        break;
                    }
                    assertTrue(listeners.size() < 9, "every subscription went to the slot's master");
                }
                long v = writer.write("e", "{\"n\":1}", ScheduleStore.ABSENT, audit("e", "add")).orElseThrow();
                for (AtomicInteger n : calls) {
                    Await.until(WAIT, "every listener heard the change", () -> n.get() >= 1);
                }
                assertEquals(v, listeners.get(listeners.size() - 1).entry("e").orElseThrow().version());
                assertEquals(1, listeners.get(0).changeCount());
                // Every key of the store (the documented layout, which RedisScheduleStoreTest pins) lives on the
                // slot's master.
                List<String> keys = Stream.of("entries", "versions", "seq", "changes", "audit")
                        .map(k -> "{topo}:sched:" + k).toList();
                for (String k : keys) {
                    assertEquals(slotMaster, cluster.masterOf(k), k);
                }
                assertTrue(slotMaster.cli("EXISTS", keys.get(0)).trim().equals("1"));
            } finally {
                listeners.forEach(RedisScheduleStore::close);
            }
        }
    }

    @Test
    void aStoreBehindSentinel() {
        try (LocalRedis master = LocalRedis.server("store-sentinel-master");
             LocalRedis sentinel = LocalRedis.sentinel("st", master.port())) {
            String url = "redis-sentinel://127.0.0.1:" + sentinel.port() + "/0#st";
            RedisURI uri = RedisURI.create(url);
            try (RedisBroker broker = RedisBroker.builder().uri(url).keyPrefix("sent").build();
                 RedisScheduleStore a = RedisScheduleStore.builder().from(broker).build();
                 RedisScheduleStore b = RedisScheduleStore.builder().uri(uri).keyPrefix("sent")
                         .commandTimeout(Duration.ofSeconds(3)).build()) {
                assertEquals(Duration.ofSeconds(60), uri.getTimeout(), "the caller's URI is not modified");
                assertTrue(a.toString().contains("redis-sentinel://"), a.toString());
                AtomicInteger calls = new AtomicInteger();
                b.subscribe(calls::incrementAndGet);
                a.write("e", "{}", ScheduleStore.ABSENT, audit("e", "add")).orElseThrow();
                Await.until(WAIT, "notified through Sentinel's master", () -> calls.get() >= 1);
                assertEquals("{}", b.entry("e").orElseThrow().json());
                assertTrue(master.cli("HGET", "{sent}:sched:entries", "e").contains("{}"));
            }
        }
    }
}
