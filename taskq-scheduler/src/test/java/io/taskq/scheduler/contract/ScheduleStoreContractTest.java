package io.taskq.scheduler.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Await;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScheduleStore} must do. A store module extends this class and implements {@link #newStore()};
 * for stores shared between processes, {@link #secondView(ScheduleStore)} gives another client of the same data,
 * so that change notification across clients is checked too.
 */
public abstract class ScheduleStoreContractTest {
    protected static final Duration WAIT = Duration.ofSeconds(5);

    protected ScheduleStore store;

    /** A new, empty store (its own namespace); closed after each test. */
    protected abstract ScheduleStore newStore();

    /**
     * Another client of the same data, as a second process would have it. The default returns the same object;
     * a Redis store returns a store with its own connection on the same key prefix. Closed after each test.
     */
    protected ScheduleStore secondView(ScheduleStore store) {
        return store;
    }

    private final List<ScheduleStore> extra = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        extra.forEach(s -> {
            if (s != store) {
                s.close();
            }
        });
        store.close();
    }

    protected ScheduleStore other() {
        ScheduleStore s = secondView(store);
        extra.add(s);
        return s;
    }

    protected static ScheduleAuditRecord audit(String entry, String action) {
        return new ScheduleAuditRecord(Instant.parse("2024-01-01T00:00:00Z"), entry, action, "tester",
                "{\"before\":1}", "{\"after\":2}", null);
    }

    private long create(String name, String json) {
        OptionalLong v = store.write(name, json, ScheduleStore.ABSENT, audit(name, "add"));
        assertTrue(v.isPresent(), "create " + name);
        return v.getAsLong();
    }

    @Test
    void createThenRead() {
        long v = create("a", "{\"x\":1}");
        assertTrue(v > 0);
        ScheduleRecord r = store.entry("a").orElseThrow();
        assertEquals(new ScheduleRecord("a", "{\"x\":1}", v), r);
        assertTrue(store.entry("missing").isEmpty());
        assertEquals(List.of(r), store.entries());
    }

    @Test
    void createOnlyIfAbsent() {
        create("a", "{\"x\":1}");
        assertTrue(store.write("a", "{\"x\":2}", ScheduleStore.ABSENT, audit("a", "add")).isEmpty());
        assertEquals("{\"x\":1}", store.entry("a").orElseThrow().json());
        assertEquals(1, store.entries().size());
    }

    @Test
    void jsonIsKeptVerbatim() {
        String json = "{ \"args\" : [1, \"zwei\", {\"drei\": 3.0}], \"ü\": \"✓\" }";
        create("unicode ✓", json);
        assertEquals(json, store.entry("unicode ✓").orElseThrow().json());
    }

    @Test
    void compareAndSet() {
        long v1 = create("a", "{\"x\":1}");
        OptionalLong v2 = store.write("a", "{\"x\":2}", v1, null);
        assertTrue(v2.isPresent());
        assertTrue(v2.getAsLong() > v1, "versions increase");
        assertTrue(store.write("a", "{\"x\":3}", v1, null).isEmpty(), "stale version is refused");
        assertTrue(store.write("b", "{\"x\":3}", v1, null).isEmpty(), "an absent entry has no version but ABSENT");
        assertEquals("{\"x\":2}", store.entry("a").orElseThrow().json());
        assertEquals(v2.getAsLong(), store.entry("a").orElseThrow().version());
    }

    @Test
    void versionsAreNeverReusedAfterDeleteAndCreate() {
        long v1 = create("a", "{\"x\":1}");
        assertTrue(store.delete("a", v1, audit("a", "delete")));
        long v2 = create("a", "{\"x\":2}");
        assertTrue(v2 > v1);
        // A writer that still holds v1 from before the delete must not overwrite the new entry.
        assertTrue(store.write("a", "{\"stale\":true}", v1, null).isEmpty());
        long other = create("b", "{}");
        assertTrue(other > v2, "one store-wide sequence");
    }

    @Test
    void deleteIsCompareAndSet() {
        long v1 = create("a", "{}");
        assertFalse(store.delete("a", v1 + 1000, audit("a", "delete")));
        assertFalse(store.delete("missing", v1, audit("missing", "delete")));
        assertTrue(store.entry("a").isPresent());
        assertTrue(store.delete("a", v1, audit("a", "delete")));
        assertTrue(store.entry("a").isEmpty());
        assertTrue(store.entries().isEmpty());
        assertFalse(store.delete("a", v1, audit("a", "delete")), "already gone");
    }

    @Test
    void auditedWritesAreChangesStateWritesAreNot() {
        long c0 = store.changeCount();
        long v = create("a", "{}");
        long c1 = store.changeCount();
        assertTrue(c1 > c0, "an audited write is a change");
        v = store.write("a", "{\"lastRun\":1}", v, null).orElseThrow();
        assertEquals(c1, store.changeCount(), "a state write is not a change");
        assertEquals(1, store.audit(100).size());
        v = store.write("a", "{\"enabled\":false}", v, audit("a", "disable")).orElseThrow();
        long c2 = store.changeCount();
        assertTrue(c2 > c1);
        assertTrue(store.write("a", "{}", v - 1, audit("a", "stale")).isEmpty());
        assertEquals(c2, store.changeCount(), "a refused write is no change");
        assertEquals(2, store.audit(100).size(), "a refused write leaves no audit record");
        assertTrue(store.delete("a", v, null));
        assertTrue(store.changeCount() > c2, "a delete is always a change");
    }

    @Test
    void auditIsNewestFirstAndLimited() {
        long v = create("a", "{}");
        for (int i = 0; i < 5; i++) {
            ScheduleAuditRecord r = new ScheduleAuditRecord(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i),
                    "a", "update", "user-" + i, "{\"n\":" + i + "}", "{\"n\":" + (i + 1) + "}", "d" + i);
            v = store.write("a", "{\"n\":" + (i + 1) + "}", v, r).orElseThrow();
        }
        List<ScheduleAuditRecord> last3 = store.audit(3);
        assertEquals(List.of("user-4", "user-3", "user-2"),
                last3.stream().map(ScheduleAuditRecord::actor).collect(Collectors.toList()));
        ScheduleAuditRecord newest = last3.get(0);
        assertEquals(Instant.parse("2024-01-01T00:00:04Z"), newest.at());
        assertEquals("a", newest.entry());
        assertEquals("update", newest.action());
        assertEquals("{\"n\":4}", newest.before());
        assertEquals("{\"n\":5}", newest.after());
        assertEquals("d4", newest.detail());
        assertEquals(6, store.audit(100).size());
        assertEquals(List.of(), store.audit(0));
    }

    @Test
    void auditKeepsNullBeforeAndAfter() {
        store.write("a", "{}", ScheduleStore.ABSENT,
                new ScheduleAuditRecord(Instant.EPOCH, "a", "add", "x", null, "{}", null)).orElseThrow();
        ScheduleAuditRecord r = store.audit(1).get(0);
        assertNull(r.before());
        assertEquals("{}", r.after());
        assertNull(r.detail());
    }

    @Test
    void listenersHearChangesUntilUnsubscribed() throws InterruptedException {
        ScheduleStore view = other();
        AtomicInteger calls = new AtomicInteger();
        ScheduleStore.Subscription sub = view.subscribe(calls::incrementAndGet);
        long v = create("a", "{}");
        Await.until(WAIT, "listener called after create", () -> calls.get() >= 1);
        sub.close();
        sub.close();
        int seen = calls.get();
        store.write("a", "{\"x\":1}", v, audit("a", "update")).orElseThrow();
        // Proving that something does not happen needs a wait: long enough for a cross-process notification.
        Thread.sleep(200);
        assertEquals(seen, calls.get());
    }

    @Test
    void changesAreVisibleToOtherClients() {
        ScheduleStore view = other();
        long before = view.changeCount();
        AtomicInteger calls = new AtomicInteger();
        view.subscribe(calls::incrementAndGet);
        long v = create("a", "{\"x\":1}");
        Await.until(WAIT, "other client notified", () -> calls.get() >= 1);
        assertTrue(view.changeCount() > before);
        assertEquals(v, view.entry("a").orElseThrow().version());
        assertTrue(view.write("a", "{\"x\":2}", v, null).isPresent());
        assertEquals("{\"x\":2}", store.entry("a").orElseThrow().json());
    }

    @Test
    void aFailingListenerDoesNotFailTheWriter() {
        AtomicInteger calls = new AtomicInteger();
        store.subscribe(() -> {
            throw new IllegalStateException("boom");
        });
        store.subscribe(calls::incrementAndGet);
        create("a", "{}");
        Await.until(WAIT, "second listener called", () -> calls.get() >= 1);
    }

    @Test
    void concurrentCompareAndSetLosesNoUpdate() throws Exception {
        create("counter", "0");
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            ScheduleRecord r = store.entry("counter").orElseThrow();
                            int n = Integer.parseInt(r.json());
                            if (store.write("counter", Integer.toString(n + 1), r.version(), null).isPresent()) {
                                break;
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Integer.toString(threads * perThread), store.entry("counter").orElseThrow().json());
    }

    @Test
    void concurrentCreatesMakeOneEntry() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> store.write("same", "{\"by\":" + id + "}", ScheduleStore.ABSENT,
                        audit("same", "add")).isPresent()));
            }
            int won = 0;
            for (Future<Boolean> f : fs) {
                won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, store.entries().size());
        assertEquals(1, store.audit(100).size());
    }

    @Test
    void manyEntries() {
        for (int i = 0; i < 100; i++) {
            create("e" + i, "{\"i\":" + i + "}");
        }
        Map<String, String> all = store.entries().stream()
                .collect(Collectors.toMap(ScheduleRecord::name, ScheduleRecord::json));
        assertEquals(100, all.size());
        assertEquals("{\"i\":42}", all.get("e42"));
    }
}
