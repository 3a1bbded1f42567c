package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.QueueStats;
import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.ResultBackend;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue operations of {@link QueueAdmin} every broker offers: the age of the oldest ready task, purging the ready
 * tasks, and searching, deleting and resubmitting dead letters by filter, in bounded steps. A broker module extends
 * this class and implements {@link #newBroker(Clock)}.
 */
public abstract class QueueOperationsContract {
    private static final Duration LEASE = Duration.ofSeconds(30);

    protected MutableClock clock;
    protected Broker broker;

    /** A new, empty broker (its own namespace) on the given clock; closed after each test. */
    protected abstract Broker newBroker(Clock clock);

    @BeforeEach
    void open() {
        clock = new MutableClock();
        broker = newBroker(clock);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    /** Whether the queue is spread over partitions (each has heads of its own). */
    protected boolean partitioned() {
        return false;
    }

    private QueueAdmin admin() {
        return broker.queueAdmin().orElseThrow();
    }

    /** A taskq envelope as the core writes it, with the given send and due times and retry count. */
    static String envelope(String id, String task, int priority, Instant sentAt, Instant eta, int retries) {
        return "{\"v\":1,\"headers\":{\"lang\":\"java\",\"task\":\"" + task + "\",\"id\":\"" + id + "\",\"eta\":"
                + (eta == null ? "null" : "\"" + eta + "\"") + ",\"expires\":null,\"group\":null,\"retries\":" + retries
                + ",\"timelimit\":[null,null],\"root_id\":\"" + id + "\",\"parent_id\":null,\"argsrepr\":\"[]\","
                + "\"origin\":\"1@h\",\"sent_at\":" + (sentAt == null ? "null" : "\"" + sentAt + "\"")
                + ",\"ignore_result\":false,\"queue\":\"q\",\"priority\":" + priority + "},\"body\":[[],{},"
                + "{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}]}";
    }

    private static TaskMessage msg(String id, String task, int priority, Instant eta, String body) {
        return new TaskMessage(id, "q", task, priority, eta, body);
    }

    private TaskMessage sent(String id, int priority, Duration ago) {
        return msg(id, "t.test", priority, null, envelope(id, "t.test", priority, clock.instant().minus(ago), null, 0));
    }

    private List<Delivery> claim(int max) {
        try {
            return broker.claim(new ClaimRequest("w", List.of("q"), max, LEASE, Duration.ZERO));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private TaskRecord rec(Delivery d, TaskState state, String reason) {
        return new TaskRecord(d.id(), d.queue(), d.task(), state, null, new TaskError("x.Boom", "boom", ""), 0,
                d.attempt(), "w", clock.instant(), reason);
    }

    // ---------------------------------------------------------------------------------------- oldest ready age

    @Test
    void oldestReadyAgeIsZeroWithoutReadyTasksAndTheOldestHeadOfTheBandsOtherwise() {
        assertEquals(Duration.ZERO, admin().stats("q").oldestReadyAge(), "an unknown queue");
        broker.enqueue(List.of(msg("d", "t.test", 4, clock.instant().plusSeconds(60),
                envelope("d", "t.test", 4, clock.instant().minusSeconds(600), clock.instant().plusSeconds(60), 0))));
        assertEquals(Duration.ZERO, admin().stats("q").oldestReadyAge(), "a delayed task is not ready");
        broker.enqueue(List.of(sent("p9", 9, Duration.ofSeconds(5)), sent("p4", 4, Duration.ofSeconds(70)),
                sent("p4b", 4, Duration.ofSeconds(90)), sent("p0", 0, Duration.ofSeconds(20))));
        QueueStats s = admin().stats("q");
        assertEquals(4, s.ready());
        // band 4's head is p4 (70 s): p4b behind it is older but not at a head, which the bounded read takes (on a
        // partitioned queue p4b may head a partition of its own: then 90 s)
        Duration p4 = s.oldestReadyAge();
        assertTrue(p4.compareTo(Duration.ofSeconds(70)) >= 0 && p4.compareTo(Duration.ofSeconds(100)) < 0, "" + p4);
        assertTrue(p4.compareTo(Duration.ofSeconds(80)) < 0 || partitioned(), "p4's age: " + p4);
        clock.advance(Duration.ofSeconds(10));
        assertTrue(admin().stats("q").oldestReadyAge().compareTo(Duration.ofSeconds(79)) >= 0, "it grows");
    }

    @Test
    void aTaskThatWaitedForItsEtaCountsFromItsEtaAndOneWithoutTimesNotAtAll() {
        Instant now = clock.instant();
        broker.enqueue(List.of(msg("late", "t.test", 4, now.minusSeconds(30),
                envelope("late", "t.test", 4, now.minusSeconds(3600), now.minusSeconds(30), 1))));
        Duration age = admin().stats("q").oldestReadyAge();
        assertTrue(age.compareTo(Duration.ofSeconds(30)) >= 0 && age.compareTo(Duration.ofSeconds(60)) < 0,
                "from its eta, not its send: " + age);
        assertEquals(1, admin().purge("q"));
        broker.enqueue(List.of(msg("plain", "t.test", 5, null, "{\"not\":\"an envelope\"}")));
        assertEquals(Duration.ZERO, admin().stats("q").oldestReadyAge(), "no time to count from");
    }

    // ---------------------------------------------------------------------------------------- purge

    @Test
    void purgeRemovesEveryReadyTaskOfEveryBandAndNothingElse() {
        List<TaskMessage> many = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(msg("r" + i, "t.test", i % 10, null, "{\"n\":" + i + "}"));
        }
        broker.enqueue(many);
        Delivery running = claim(1).get(0);
        assertEquals("r9", running.id(), "the highest band first");
        Delivery dead = claim(1).get(0);
        broker.finishAndClaim(List.of(), clock.instant(), List.of(Outcome.dead(dead, rec(dead, TaskState.FAILURE,
                "x"), "x")), null);
        broker.enqueue(List.of(msg("later", "t.test", 4, clock.instant().plusSeconds(3600), "{}"),
                msg("soon", "t.test", 4, clock.instant().plusSeconds(10), "{}"),
                msg("plain", "t.test", 4, null, "{}")));
        clock.advance(Duration.ofSeconds(20)); // 'soon' is due: a ready task, though no claim promoted it yet
        QueueStats before = admin().stats("q");
        assertEquals(1, before.inFlight());
        assertEquals(1, before.dead());

        long purged = admin().purge("q");

        assertEquals(2498 + 2, purged, "2,498 of the first ones, 'plain' and 'soon'");
        QueueStats after = admin().stats("q");
        assertEquals(new QueueStats("q", 0, 1, 1, 1), after);
        assertTrue(admin().tasks("q", TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 10, null).tasks()
                .isEmpty());
        assertEquals(0, admin().purge("q"), "nothing left to purge");
        assertTrue(((ResultBackend) broker).get("q", "soon").isEmpty(), "purged tasks leave no record");
        assertEquals(List.of(true, true), broker.enqueue(List.of(msg("r0", "t.test", 4, null, "{}"),
                msg("soon", "t.test", 4, null, "{}"))), "their ids are free again: nothing of them is left");
        assertEquals(List.of(true), broker.finishAndClaim(List.of(), clock.instant(),
                List.of(Outcome.done(running, rec(running, TaskState.SUCCESS, null))), null).accepted(),
                "the running task was not touched");
    }

    @Test
    void aPurgedTaskWithARecordLeavesNoRecord() {
        broker.enqueue(List.of(msg("a", "t.test", 4, null, "{}")));
        Delivery d = claim(1).get(0);
        broker.finishAndClaim(List.of(), clock.instant(), List.of(Outcome.retry(d, rec(d, TaskState.RETRY, null),
                clock.instant().plusSeconds(1), "{\"retry\":1}")), null);
        assertEquals(TaskState.RETRY, ((ResultBackend) broker).get("q", "a").orElseThrow().state());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, admin().purge("q"));
        assertTrue(((ResultBackend) broker).get("q", "a").isEmpty());
        assertEquals(new QueueStats("q", 0, 0, 0, 0), admin().stats("q"));
    }

    // ---------------------------------------------------------------------------------------- dead letters

    /**
     * 1,200 dead letters: ids d0000..d1199, task t.a for even and t.b for odd ones, a ConnectException for every
     * third and an IllegalStateException otherwise; the first 600 an hour before the others, many at one millisecond.
     */
    private void deadLetters() {
        for (int half = 0; half < 2; half++) {
            List<TaskMessage> ms = new ArrayList<>();
            for (int i = half * 600; i < half * 600 + 600; i++) {
                String id = String.format("d%04d", i);
                String task = i % 2 == 0 ? "t.a" : "t.b";
                ms.add(msg(id, task, 4, null, envelope(id, task, 4, clock.instant(), null, 3)));
            }
            broker.enqueue(ms);
            List<Outcome> outcomes = new ArrayList<>();
            for (Delivery d : claim(600)) {
                int i = Integer.parseInt(d.id().substring(1));
                String reason = "failed after 4 attempts (max retries 3): " + (i % 3 == 0
                        ? "java.net.ConnectException: Connection refused" : "java.lang.IllegalStateException");
                outcomes.add(Outcome.dead(d, rec(d, TaskState.FAILURE, reason), reason));
            }
            assertEquals(600, outcomes.size());
            broker.finishAndClaim(List.of(), clock.instant(), outcomes, null);
            clock.advance(Duration.ofHours(1));
        }
    }

    private List<DeadLetter> findAll(DeadLetterFilter f, int limit) {
        List<DeadLetter> all = new ArrayList<>();
        String cursor = null;
        int steps = 0;
        do {
            DeadLetterPage p = admin().findDeadLetters("q", f, limit, cursor);
            assertTrue(p.deadLetters().size() <= limit);
            all.addAll(p.deadLetters());
            cursor = p.next();
            assertTrue(++steps < 100, "the search ends");
        } while (cursor != null);
        return all;
    }

    @Test
    void deadLettersAreFoundByFilterInBoundedStepsOldestFirst() {
        deadLetters();
        List<DeadLetter> all = findAll(DeadLetterFilter.all(), 500);
        assertEquals(1200, all.size());
        assertEquals(1200, new HashSet<>(all.stream().map(DeadLetter::id).toList()).size(), "each once");
        for (int i = 1; i < all.size(); i++) {
            DeadLetter a = all.get(i - 1);
            DeadLetter b = all.get(i);
            assertTrue(a.deadAt().isBefore(b.deadAt()) || a.deadAt().equals(b.deadAt())
                    && a.id().compareTo(b.id()) < 0, "oldest first, then by id: " + a.id() + ", " + b.id());
        }
        assertTrue(all.get(0).isComplete());
        assertEquals(Integer.parseInt(all.get(0).id().substring(1)) % 2 == 0 ? "t.a" : "t.b", all.get(0).task());

        DeadLetterPage first = admin().findDeadLetters("q", DeadLetterFilter.builder().task("t.a")
                .errorType("java.net.ConnectException").build(), 500, null);
        assertTrue(first.deadLetters().size() < 500 && first.next() != null, "a step reads a bounded part");
        List<DeadLetter> some = findAll(DeadLetterFilter.builder().task("t.a").errorType("java.net.ConnectException")
                .build(), 500);
        assertEquals(200, some.size(), "even and a multiple of three");
        some.forEach(d -> assertEquals(0, Integer.parseInt(d.id().substring(1)) % 6));
        assertEquals(600, findAll(DeadLetterFilter.builder().olderThan(Duration.ofMinutes(90)).build(), 77).size());
        List<DeadLetter> recent = findAll(DeadLetterFilter.builder().newerThan(Duration.ofMinutes(90)).build(), 500);
        assertEquals(600, recent.size());
        recent.forEach(d -> assertTrue(Integer.parseInt(d.id().substring(1)) >= 600, d.id()));
        assertEquals(0, findAll(DeadLetterFilter.builder().errorType("java.net").build(), 500).size(),
                "a type matches whole");
        assertThrows(IllegalArgumentException.class, () -> admin().findDeadLetters("q", DeadLetterFilter.all(), 0,
                null));
        assertThrows(IllegalArgumentException.class, () -> admin().findDeadLetters("q", DeadLetterFilter.all(), 10,
                "nonsense"));
    }

    @Test
    void deadLettersAreDeletedByFilterUpToALimit() {
        deadLetters();
        DeadLetterFilter oldB = DeadLetterFilter.builder().task("t.b").olderThan(Duration.ofMinutes(90)).build();
        assertEquals(100, admin().deleteDeadLetters("q", oldB, 100));
        assertEquals(200, admin().deleteDeadLetters("q", oldB, Long.MAX_VALUE));
        assertEquals(0, admin().deleteDeadLetters("q", oldB, Long.MAX_VALUE));
        assertEquals(900, admin().stats("q").dead());
        assertTrue(admin().deadLetter("q", "d0001").isEmpty());
        assertTrue(admin().deadLetter("q", "d0000").isPresent());
        assertTrue(admin().deadLetter("q", "d0601").isPresent(), "a newer one of t.b stays");
        assertThrows(IllegalArgumentException.class, () -> admin().deleteDeadLetters("q", oldB, 0));
    }

    @Test
    void oneDeadLetterIsDeletedAloneAndAnUnknownOneIsNot() {
        deadLetters();
        assertTrue(admin().deleteDeadLetter("q", "d0007"));
        assertTrue(admin().deadLetter("q", "d0007").isEmpty());
        assertFalse(admin().deleteDeadLetter("q", "d0007"), "gone already");
        assertFalse(admin().deleteDeadLetter("q", "nope"));
        assertFalse(admin().deleteDeadLetter("other", "d0008"), "another queue's id");
        assertEquals(1199, admin().stats("q").dead());
        assertTrue(admin().deadLetter("q", "d0006").isPresent());
        assertTrue(admin().deadLetter("q", "d0008").isPresent());
    }

    @Test
    void theBodyOfAMessageTheQueueHoldsIsReadWhereverItWaitsOrRuns() {
        TaskMessage ready = sent("r1", 4, Duration.ofSeconds(5));
        TaskMessage later = msg("l1", "t.test", 4, clock.instant().plusSeconds(600),
                envelope("l1", "t.test", 4, clock.instant(), clock.instant().plusSeconds(600), 0));
        broker.enqueue(List.of(ready, later));
        assertEquals(ready.body(), admin().messageBody("q", "r1").orElseThrow());
        assertEquals(later.body(), admin().messageBody("q", "l1").orElseThrow(), "delayed");
        Delivery d = claim(1).get(0);
        assertEquals(ready.body(), admin().messageBody("q", d.id()).orElseThrow(), "running");
        assertTrue(admin().messageBody("q", "unknown").isEmpty());
        assertTrue(admin().messageBody("other", "l1").isEmpty(), "another queue");
        assertEquals(List.of(true), broker.finishAndClaim(List.of(), clock.instant(),
                List.of(Outcome.done(d, rec(d, TaskState.SUCCESS, null))), null).accepted());
        assertTrue(admin().messageBody("q", "r1").isEmpty(), "a finished task's message is gone");
    }

    @Test
    void deadLettersAreResubmittedByFilterWithTheirRetriesReset() {
        deadLetters();
        try (Taskq taskq = Taskq.builder().broker(broker).clock(clock).build()) {
            DeadLetterFilter connect = DeadLetterFilter.builder().errorType("java.net.ConnectException").build();
            assertEquals(150, taskq.resubmitDeadLetters("q", connect, 150));
            assertEquals(250, taskq.resubmitDeadLetters("q", connect, Long.MAX_VALUE));
            assertEquals(0, taskq.resubmitDeadLetters("q", connect, Long.MAX_VALUE));
            QueueStats s = taskq.stats("q");
            assertEquals(400, s.ready());
            assertEquals(800, s.dead());
            Delivery d = claim(1).get(0);
            assertEquals(0, Integer.parseInt(d.id().substring(1)) % 3, d.id());
            assertTrue(d.body().contains("\"retries\":0"), d.body());
            assertEquals(800, taskq.deleteDeadLetters("q", DeadLetterFilter.all(), Long.MAX_VALUE));
            assertEquals(399, taskq.purge("q"));
        }
    }

    @Test
    void filtersSayWhatTheyTake() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        DeadLetter d = new DeadLetter("x", "q", "t.a", "failed, not retryable: a.B: no", now.minusSeconds(60), 1,
                "{}");
        assertTrue(DeadLetterFilter.all().matches(d, now));
        assertTrue(DeadLetterFilter.builder().errorType("a.B").task("t.a").build().matches(d, now));
        assertTrue(DeadLetterFilter.builder().olderThan(Duration.ofSeconds(60)).build().matches(d, now));
        assertTrue(!DeadLetterFilter.builder().olderThan(Duration.ofSeconds(61)).build().matches(d, now));
        assertTrue(DeadLetterFilter.builder().newerThan(Duration.ofSeconds(61)).build().matches(d, now));
        assertTrue(!DeadLetterFilter.builder().newerThan(Duration.ofSeconds(60)).build().matches(d, now));
        assertTrue(!DeadLetterFilter.builder().errorType("a").build().matches(d, now));
        assertTrue(!DeadLetterFilter.builder().task("t.b").build().matches(d, now));
        assertNotNull(DeadLetterFilter.builder().build());
        assertNull(DeadLetterFilter.all().task());
        assertThrows(IllegalArgumentException.class, () -> DeadLetterFilter.builder().errorType("a:b").build());
        assertThrows(IllegalArgumentException.class, () -> DeadLetterFilter.builder().task("").build());
        assertEquals(DeadLetterFilter.all(), DeadLetterFilter.builder().build(), "a value");
    }
}
