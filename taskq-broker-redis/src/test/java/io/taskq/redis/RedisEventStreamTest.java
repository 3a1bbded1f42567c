package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Events;
import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.fault.FaultTasks;
import io.taskq.spi.EventLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis event stream beyond the contract: bounded, positions that outlive the application, applications sharing a
 * prefix seeing each other's events, entries written by hand, waits that stay off the shared connection.
 */
class RedisEventStreamTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant T = Instant.parse("2031-01-01T00:00:00Z");

    private static String prefix() {
        return "ev" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RedisBroker broker(String prefix) {
        return RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
    }

    private static List<Event> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> Event.of("e" + i, T, Map.of("i", "" + i))).toList();
    }

    /** Every event the log holds, page by page. */
    private static List<Event> all(EventLog log) {
        List<Event> out = new ArrayList<>();
        String at = null;
        while (true) {
            EventPage p = log.read(at, Events.MAX_PAGE);
            out.addAll(p.events());
            if (p.events().isEmpty()) {
                return out;
            }
            at = p.next();
        }
    }

    private static long xlen(String prefix) {
        long[] n = new long[1];
        server.with(r -> n[0] = r.xlen("{" + prefix + "}:events"));
        return n[0];
    }

    @Test
    void theStreamStaysNearItsBoundWhateverTheRunsSizes() {
        String p = prefix();
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(p).eventStreamMaxLength(300).build()) {
            EventLog log = b.eventLog().orElseThrow();
            int n = 0;
            for (int i = 0; i < 40; i++) {
                log.append(events(n, n + 120));
                n += 120;
            }
            int afterBig = all(log).size();
            assertTrue(afterBig >= 240 && afterBig <= 700, "about 300 kept after runs of 120: " + afterBig);
            for (int i = 0; i < 600; i++) {
                log.append(events(n, n + 1));
                n++;
            }
            List<Event> kept = all(log);
            assertTrue(kept.size() >= 240 && kept.size() <= 700, "about 300 kept after single events: " + kept.size());
            assertEquals("e" + (n - 1), kept.get(kept.size() - 1).type(), "the newest kept");
            assertTrue(xlen(p) <= 700, "entries: " + xlen(p));
            for (int i = 1; i < kept.size(); i++) {
                assertEquals(Integer.parseInt(kept.get(i - 1).field("i")) + 1, Integer.parseInt(kept.get(i).field("i")),
                        "in order, none missing in what is kept");
            }
        }
    }

    @Test
    void pagesSplitEntriesAndPositionsAreChecked() {
        try (RedisBroker b = broker(prefix())) {
            EventLog log = b.eventLog().orElseThrow();
            log.append(events(0, 250)); // three entries: 100, 100, 50
            EventPage first = log.read(null, 30);
            assertEquals(30, first.events().size());
            assertTrue(first.next().matches("\\d+-\\d+:29"), first.next());
            EventPage rest = log.read(first.next(), 1000);
            assertEquals(220, rest.events().size());
            assertEquals("e30", rest.events().get(0).type());
            assertEquals("e249", rest.events().get(219).type());
            assertEquals(rest.next(), log.read(rest.next(), 10).next(), "nothing more: the same position");
            assertEquals(250, log.read("0-0", 1000).events().size(), "0-0: before every entry");
            for (String bad : List.of("x", "1-2:", "1-2:a", "1:2", "-1-2", "1-2:3:4")) {
                assertThrows(IllegalArgumentException.class, () -> log.read(bad, 10), bad);
            }
        }
    }

    @Test
    void positionsResumeWithANewApplication() {
        String p = prefix();
        String resume;
        List<String> ids = new ArrayList<>();
        try (Taskq first = Taskq.builder().broker(broker(p)).closeBrokerOnClose(true).tasks(new FaultTasks())
                .build()) {
            for (int i = 0; i < 5; i++) {
                ids.add(first.submit(FaultTasks::echo, "r" + i).id());
            }
            Await.until(WAIT, "five sent", () -> first.events().since(null, 100).events().size() == 5);
            resume = first.events().since(null, 3).next();
        }
        try (Taskq second = Taskq.builder().broker(broker(p)).closeBrokerOnClose(true).tasks(new FaultTasks())
                .events(false).build()) {
            EventPage page = second.events().since(resume, 100);
            assertEquals(ids.subList(3, 5), page.events().stream().map(e -> e.field(Event.F_ID)).toList());
        }
    }

    @Test
    void aSubscriptionOfOneApplicationSeesAnothersEvents() {
        String p = prefix();
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (Taskq watcher = Taskq.builder().broker(broker(p)).closeBrokerOnClose(true).events(false).build();
             Events.Subscription s = watcher.events().subscribe(null, seen::add);
             Taskq worker = Taskq.builder().broker(broker(p)).closeBrokerOnClose(true).tasks(new FaultTasks())
                     .build()) {
            worker.startWorker(WorkerOptions.builder().concurrency(2).build());
            List<TaskHandle<String>> hs = new ArrayList<>();
            Await.until(WAIT, "the watcher sees the worker's events", () -> {
                hs.add(worker.submit(FaultTasks::echo, "w"));
                return seen.stream().anyMatch(e -> e.type().equals(Event.TASK_SUCCEEDED));
            });
            String id = seen.stream().filter(e -> e.type().equals(Event.TASK_SUCCEEDED)).findFirst().orElseThrow()
                    .field(Event.F_ID);
            assertTrue(hs.stream().anyMatch(h -> h.id().equals(id)));
        }
    }

    @Test
    void entriesWrittenByHandAreReadAsFarAsTheyCanBe() throws Exception {
        String p = prefix();
        String key = "{" + p + "}:events";
        try (RedisBroker b = broker(p)) {
            EventLog log = b.eventLog().orElseThrow();
            server.with(r -> {
                r.xadd(key, Map.of("n", "1", "events", "not json"));
                r.xadd(key, Map.of("type", "custom", "ts", "soon", "x", "y"));
                r.xadd(key, Map.of("foo", "bar"));
                r.xadd(key, Map.of("n", "3", "events",
                        "[1, {\"ts\":5}, {\"type\":\"good\",\"ts\":1000,\"fields\":{\"a\":\"b\",\"n\":2,\"z\":null}}]"));
            });
            List<Event> read = log.read(null, 100).events();
            assertEquals(List.of("custom", "good"), read.stream().map(Event::type).toList());
            assertEquals(Map.of("x", "y"), read.get(0).fields());
            assertEquals(Instant.EPOCH, read.get(0).timestamp());
            assertEquals(Map.of("a", "b", "n", "2"), read.get(1).fields());
            assertEquals(Instant.ofEpochMilli(1000), read.get(1).timestamp());
            assertTrue(read.get(1).position().endsWith(":2"), read.get(1).position());

            // Only unreadable entries after a position: the page moves past them, and a wait does not spin on them.
            String last = read.get(1).position();
            server.with(r -> r.xadd(key, Map.of("events", "[")));
            EventPage junk = log.read(last, 10);
            assertEquals(List.of(), junk.events());
            assertFalse(junk.next().equals(last), "moved past the unreadable entry");
            EventPage waited = log.await(junk.next(), 10, Duration.ofMillis(300));
            assertEquals(List.of(), waited.events());
            assertEquals(junk.next(), waited.next());
        }
    }

    @Test
    void aWaitBlocksOnItsOwnConnectionAndEndsOnAnEventOrAnInterrupt() throws Exception {
        try (RedisBroker b = broker(prefix())) {
            EventLog log = b.eventLog().orElseThrow();
            log.append(events(0, 2));
            EventPage none = log.await(null, 10, Duration.ofMillis(200));
            assertEquals(List.of(), none.events(), "null: only events still to come");

            AtomicReference<EventPage> got = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    got.set(log.await(none.next(), 10, Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            Thread.sleep(300);
            long t0 = System.nanoTime();
            assertEquals(2, log.read(null, 10).events().size(), "the shared connection is not blocked");
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
            log.append(events(2, 3));
            waiter.join(5000);
            assertEquals(List.of("e2"), got.get().events().stream().map(Event::type).toList());

            Thread interrupted = new Thread(() -> {
                try {
                    log.await(got.get().next(), 10, Duration.ofSeconds(30));
                    got.set(null);
                } catch (InterruptedException e) {
                    // expected
                }
            });
            interrupted.start();
            Thread.sleep(300);
            long t1 = System.nanoTime();
            interrupted.interrupt();
            interrupted.join(5000);
            assertFalse(interrupted.isAlive());
            assertTrue(System.nanoTime() - t1 < 3_000_000_000L, "ended by the interrupt, not the block time");
            assertTrue(got.get() != null, "ended by InterruptedException");
            assertEquals(3, log.read(null, 10).events().size(), "and the log still works");
        }
    }

    @Test
    void noStreamWithALengthOfZero() {
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix()).eventStreamMaxLength(0)
                .build();
             Taskq taskq = Taskq.builder().broker(b).tasks(new FaultTasks()).build()) {
            assertTrue(b.eventLog().isEmpty());
            assertThrows(UnsupportedOperationException.class, taskq::events);
            taskq.startWorker(WorkerOptions.builder().concurrency(1).build());
            assertEquals("z", taskq.submit(FaultTasks::echo, "z").get(WAIT));
            assertEquals(0, xlen(b.keyPrefix()));
        }
        assertThrows(IllegalArgumentException.class, () -> RedisBroker.builder().eventStreamMaxLength(-1));
    }
}
