package io.taskq.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.contract.Await;
import io.taskq.spi.EventLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The publisher never makes a caller wait: a full buffer or a failing log drops events and counts them. */
class EventPublisherTest {
    private static final Event E = Event.of("x", Instant.parse("2031-01-01T00:00:00Z"), Map.of());

    /** A log that can be held (blocked) or made to fail, and keeps what it got. */
    private static final class TestLog implements EventLog {
        final List<Event> got = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean hold = new AtomicBoolean();
        final AtomicBoolean fail = new AtomicBoolean();

        @Override
        public void append(List<Event> events) {
            if (hold.get()) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (fail.get()) {
                throw new IllegalStateException("broker down");
            }
            got.addAll(events);
        }

        @Override
        public EventPage read(String after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EventPage await(String after, int limit, Duration maxWait) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void publishesInBatchesInOrder() {
        TestLog log = new TestLog();
        try (EventPublisher p = new EventPublisher(log, 10_000, Thread::new)) {
            for (int i = 0; i < 2000; i++) {
                p.publish(Event.of("e" + i, E.timestamp(), Map.of()));
            }
            Await.until(Duration.ofSeconds(20), "all published", () -> log.got.size() == 2000);
            for (int i = 0; i < 2000; i++) {
                assertEquals("e" + i, log.got.get(i).type());
            }
            assertEquals(0, p.dropped());
        }
    }

    @Test
    void aFullBufferDropsAndCountsWithoutWaiting() {
        TestLog log = new TestLog();
        log.hold.set(true);
        EventPublisher p = new EventPublisher(log, 5, Thread::new);
        for (int i = 0; i < 100; i++) {
            p.publish(E);
        }
        // the held append took one run (the first event and up to the five then buffered), five more wait
        assertTrue(p.dropped() >= 89, "dropped " + p.dropped());
        log.release.countDown();
        p.close();
        assertEquals(100, log.got.size() + p.dropped());
    }

    @Test
    void aFailingLogCostsItsBatchesOnly() {
        TestLog log = new TestLog();
        log.fail.set(true);
        try (EventPublisher p = new EventPublisher(log, 100, Thread::new)) {
            p.publish(E);
            Await.until(Duration.ofSeconds(20), "counted", () -> p.dropped() == 1);
            log.fail.set(false);
            p.publish(E);
            Await.until(Duration.ofSeconds(20), "published again", () -> log.got.size() == 1);
        }
    }
}
