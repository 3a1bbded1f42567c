package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.cluster.SlotHash;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.contract.Await;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** What the schedule store contract does not cover: key layout, audit cap, script reload, prefixes, credentials. */
class RedisScheduleStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static String freshPrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RedisScheduleStore store(String prefix) {
        return RedisScheduleStore.builder().uri(server.url()).keyPrefix(prefix).build();
    }

    private static ScheduleAuditRecord audit(String entry, String action) {
        return new ScheduleAuditRecord(Instant.parse("2024-01-01T00:00:00Z"), entry, action, "tester", null, "{}",
                null);
    }

    @Test
    void keysShareOneHashTagAndHaveTheDocumentedTypes() {
        String prefix = freshPrefix("layout");
        try (RedisScheduleStore store = store(prefix)) {
            long v = store.write("a", "{}", ScheduleStore.ABSENT, audit("a", "add")).orElseThrow();
            store.write("a", "{\"run\":1}", v, null).orElseThrow();
            long b = store.write("b", "{}", ScheduleStore.ABSENT, audit("b", "add")).orElseThrow();
            assertTrue(store.delete("b", b, audit("b", "delete")));

            String base = "{" + prefix + "}:sched:";
            assertEquals(List.of(base + "entries", base + "versions", base + "seq", base + "changes", base + "audit"),
                    store.keyNames());
            assertEquals(base + "changed", BrokerInternals.channel(store));
            Map<String, String> types = new TreeMap<>();
            server.with(r -> r.keys("*" + prefix + "*").forEach(k -> types.put(k, r.type(k))));
            assertEquals(Map.of(base + "entries", "hash", base + "versions", "hash", base + "seq", "string",
                    base + "changes", "string", base + "audit", "list"), types);
            int slot = SlotHash.getSlot(base + "entries");
            assertTrue(store.keyNames().stream().allMatch(k -> SlotHash.getSlot(k) == slot), "one cluster slot");
            assertEquals(SlotHash.getSlot("{" + prefix + "}:lease:taskq.scheduler"), slot,
                    "the same slot as the broker's leases of the prefix");

            server.with(r -> {
                assertEquals(Long.toString(v + 1), r.hget(base + "versions", "a"), "state write moved the version");
                assertEquals("{\"run\":1}", r.hget(base + "entries", "a"));
                assertEquals(Long.toString(b), r.get(base + "seq"));
                assertEquals("3", r.get(base + "changes"), "two audited writes and a delete");
                assertEquals(3L, r.llen(base + "audit"));
            });
        }
    }

    @Test
    void aQueueNamedSchedDoesNotShareKeysWithTheStore() {
        String prefix = freshPrefix("q");
        try (RedisScheduleStore store = store(prefix);
             RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).build()) {
            for (int i = 0; i < 3; i++) {
                taskq.submit(TaskRequest.named("anything").queue("sched"));
            }
            assertEquals(1, store.write("a", "{}", ScheduleStore.ABSENT, audit("a", "add")).orElseThrow(),
                    "the queue's sequence is not the store's");
            List<String> keys = new ArrayList<>();
            server.with(r -> keys.addAll(r.keys("*" + prefix + "*")));
            String queueBase = BrokerInternals.queueKeyBase(broker, "sched");
            List<String> queueKeys = keys.stream().filter(k -> k.startsWith(queueBase)).toList();
            assertFalse(queueKeys.isEmpty(), keys.toString());
            assertTrue(queueKeys.stream().noneMatch(store.keyNames()::contains), keys.toString());
        }
    }

    @Test
    void auditIsTrimmedToItsCap() {
        try (RedisScheduleStore small = RedisScheduleStore.builder().uri(server.url())
                .keyPrefix(freshPrefix("cap")).auditMaxCount(3).build()) {
            OptionalLong v = small.write("a", "{}", ScheduleStore.ABSENT, audit("a", "add"));
            for (int i = 0; i < 5; i++) {
                v = small.write("a", "{}", v.getAsLong(), audit("a", "update-" + i));
            }
            assertEquals(List.of("update-4", "update-3", "update-2"),
                    small.audit(100).stream().map(ScheduleAuditRecord::action).collect(Collectors.toList()));
            server.with(r -> assertEquals(3L, r.llen(small.keyNames().get(4))));
        }
    }

    @Test
    void scriptsAreLoadedAgainAfterTheServerForgotThem() {
        try (RedisScheduleStore store = store(freshPrefix("noscript"))) {
            long v = store.write("a", "{}", ScheduleStore.ABSENT, audit("a", "add")).orElseThrow();
            server.with(r -> r.scriptFlush());
            assertEquals(v, store.entry("a").orElseThrow().version());
            long v2 = store.write("a", "{\"x\":1}", v, audit("a", "update")).orElseThrow();
            server.with(r -> r.scriptFlush());
            assertTrue(store.delete("a", v2, audit("a", "delete")));
            assertTrue(store.entries().isEmpty());
        }
    }

    @Test
    void prefixesNeverSeeEachOther() {
        String alphaPrefix = freshPrefix("alpha");
        String betaPrefix = freshPrefix("beta");
        try (RedisScheduleStore alpha = store(alphaPrefix);
             RedisScheduleStore beta = store(betaPrefix);
             RedisScheduleStore betaView = store(betaPrefix);
             RedisScheduleStore alphaView = store(alphaPrefix)) {
            AtomicInteger betaCalls = new AtomicInteger();
            AtomicInteger alphaCalls = new AtomicInteger();
            betaView.subscribe(betaCalls::incrementAndGet);
            alphaView.subscribe(alphaCalls::incrementAndGet);

            long va = alpha.write("same", "{\"in\":\"alpha\"}", ScheduleStore.ABSENT, audit("same", "add"))
                    .orElseThrow();
            Await.until(WAIT, "alpha's own view notified", () -> alphaCalls.get() >= 1);
            long vb = beta.write("same", "{\"in\":\"beta\"}", ScheduleStore.ABSENT, audit("same", "add"))
                    .orElseThrow();
            // Redis delivers one connection's messages in publishing order: had alpha's message reached beta's
            // view, it would have been counted before beta's own.
            Await.until(WAIT, "beta's view notified", () -> betaCalls.get() >= 1);
            assertEquals(1, betaCalls.get(), "beta's view heard nothing of alpha");

            assertEquals(1, va, "each prefix has its own version sequence");
            assertEquals(1, vb);
            assertEquals("{\"in\":\"alpha\"}", alphaView.entry("same").orElseThrow().json());
            assertEquals("{\"in\":\"beta\"}", betaView.entry("same").orElseThrow().json());
            assertFalse(beta.delete("same", va + 1, null));
            assertTrue(alpha.delete("same", va, audit("same", "delete")));
            assertTrue(alpha.entries().isEmpty());
            assertEquals(1, beta.entries().size(), "alpha's delete left beta alone");
            assertEquals(2, alpha.changeCount());
            assertEquals(1, beta.changeCount());
            assertEquals(2, alpha.audit(10).size());
            assertEquals(1, beta.audit(10).size());

            List<String> keys = new ArrayList<>();
            server.with(r -> {
                keys.addAll(r.keys("*" + alphaPrefix + "*"));
                keys.addAll(r.keys("*" + betaPrefix + "*"));
            });
            assertTrue(keys.stream().allMatch(k -> k.startsWith("{" + alphaPrefix + "}:sched:")
                    || k.startsWith("{" + betaPrefix + "}:sched:")), keys.toString());
        }
    }

    @Test
    void credentialsAreNeverLogged() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        String secret = "s3cret-" + UUID.randomUUID();
        // A server without a password accepts any password for the default user (nopass).
        String url = server.url().replaceFirst("^redis://", "redis://default:" + secret + "@");
        try (RedisScheduleStore store = RedisScheduleStore.builder().uri(url).keyPrefix(freshPrefix("cred"))
                .build()) {
            store.write("a", "{}", ScheduleStore.ABSENT, audit("a", "add")).orElseThrow();
            assertFalse(store.toString().contains(secret), store.toString());
            assertTrue(store.toString().contains("default:****@"), store.toString());
        } finally {
            root.detachAppender(appender);
        }
        List<String> messages = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(messages.stream().anyMatch(m -> m.contains("schedule store connected")), messages.toString());
        assertTrue(messages.stream().noneMatch(m -> m.contains(secret)), messages.toString());
    }
}
