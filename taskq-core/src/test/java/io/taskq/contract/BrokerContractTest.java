package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.Leases;
import io.taskq.spi.Outcome;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.RenewResult;
import io.taskq.spi.ResultBackend;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker contract at the SPI level: what every {@link Broker} must do, whatever stores its state. A broker
 * module extends this class and implements {@link #newBroker(Clock)}; {@link TaskqContractTest} covers the same
 * broker end to end through a worker.
 */
public abstract class BrokerContractTest {
    protected static final Duration LEASE = Duration.ofSeconds(30);
    protected static final Duration NO_WAIT = Duration.ZERO;

    protected MutableClock clock;
    protected Broker broker;

    /** A new, empty broker (its own namespace) on the given clock; closed after each test. */
    protected abstract Broker newBroker(Clock clock);

    @BeforeEach
    void openBroker() {
        clock = new MutableClock();
        broker = newBroker(clock);
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private int seq;

    protected TaskMessage msg(String id, String queue, int priority, Instant eta) {
        return new TaskMessage(id, queue, "t.test", priority, eta, "{\"body\":\"" + id + "\",\"n\":" + (seq++) + "}");
    }

    protected TaskMessage msg(String id) {
        return msg(id, "q", 4, null);
    }

    protected List<Delivery> claim(String consumer, int max, String... queues) {
        try {
            return broker.claim(new ClaimRequest(consumer, List.of(queues.length == 0 ? new String[] {"q"} : queues),
                    max, LEASE, NO_WAIT));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    protected Delivery claimOne(String consumer) {
        List<Delivery> ds = claim(consumer, 1);
        assertEquals(1, ds.size(), "expected one delivery");
        return ds.get(0);
    }

    protected TaskRecord rec(Delivery d, TaskState state) {
        return new TaskRecord(d.id(), d.queue(), d.task(), state, state == TaskState.SUCCESS ? "42" : null,
                state == TaskState.FAILURE || state == TaskState.RETRY ? new TaskError("x.Boom", "boom", "") : null,
                0, d.attempt(), "w", clock.instant(), state == TaskState.REVOKED ? "why" : null);
    }

    protected ResultBackend results() {
        return (ResultBackend) broker;
    }

    /** Finishes tasks the way a worker does: {@link Broker#finishAndClaim} with nothing started or claimed. */
    protected List<Boolean> finish(List<Outcome> outcomes) {
        return broker.finishAndClaim(List.of(), clock.instant(), outcomes, null).accepted();
    }

    /** The broker's queue administration: every broker of the contract offers one. */
    protected QueueAdmin admin() {
        return broker.queueAdmin().orElseThrow();
    }

    @Test
    void enqueuedMessageIsClaimedOnceWithItsBodyAndRecordedReceived() {
        TaskMessage m = msg("a");
        assertEquals(List.of(true), broker.enqueue(List.of(m)));
        Delivery d = claimOne("w1");
        assertEquals("a", d.id());
        assertEquals(m.body(), d.body());
        assertEquals("t.test", d.task());
        assertEquals(1, d.attempt());
        assertEquals(TaskState.RECEIVED, results().get("q", "a").orElseThrow().state());
        assertTrue(claim("w2", 5).isEmpty(), "a leased message is not claimed twice");
    }

    @Test
    void enqueueIsIdempotentById() {
        assertEquals(List.of(true, false), broker.enqueue(List.of(msg("a"), msg("a"))));
        assertEquals(List.of(false), broker.enqueue(List.of(msg("a"))));
        Delivery d = claimOne("w");
        assertEquals(List.of(false), broker.enqueue(List.of(msg("a"))), "while running");
        assertTrue(finish(List.of(Outcome.done(d, rec(d, TaskState.SUCCESS)))).get(0));
        assertEquals(List.of(false), broker.enqueue(List.of(msg("a"))), "while its result is kept");
        assertTrue(claim("w", 5).isEmpty());
    }

    @Test
    void higherPriorityFirstAndFifoWithinPriority() {
        broker.enqueue(List.of(msg("p0", "q", 0, null), msg("p9a", "q", 9, null), msg("p5", "q", 5, null),
                msg("p9b", "q", 9, null), msg("p5b", "q", 5, null)));
        List<String> ids = new ArrayList<>();
        for (Delivery d : claim("w", 10)) {
            ids.add(d.id());
        }
        assertEquals(List.of("p9a", "p9b", "p5", "p5b", "p0"), ids);
    }

    @Test
    void manyMessagesKeepFifoOrder() {
        List<TaskMessage> ms = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ms.add(msg("m" + i));
        }
        broker.enqueue(ms);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            claim("w", 100).forEach(d -> ids.add(d.id()));
        }
        for (int i = 0; i < 300; i++) {
            assertEquals("m" + i, ids.get(i));
        }
    }

    @Test
    void claimTakesAtMostMaxAndQueuesInOrder() {
        broker.enqueue(List.of(msg("b1", "b", 4, null), msg("a1", "a", 4, null), msg("a2", "a", 4, null)));
        List<Delivery> first = claim("w", 2, "a", "b");
        assertEquals(List.of("a1", "a2"), first.stream().map(Delivery::id).toList());
        List<Delivery> second = claim("w", 2, "a", "b");
        assertEquals(List.of("b1"), second.stream().map(Delivery::id).toList());
    }

    @Test
    void delayedMessageBecomesReadyAtItsEtaExactlyOnce() {
        broker.enqueue(List.of(msg("d", "q", 4, clock.instant().plusSeconds(60))));
        assertTrue(claim("w", 1).isEmpty());
        assertEquals(1, admin().stats("q").delayed());
        clock.advance(Duration.ofSeconds(59));
        assertTrue(claim("w", 1).isEmpty());
        clock.advance(Duration.ofSeconds(2));
        assertEquals("d", claimOne("w").id());
        assertTrue(claim("w2", 1).isEmpty());
    }

    @Test
    void claimWaitsAndWakesWhenAMessageArrives() throws Exception {
        CompletableFuture<List<Delivery>> f = CompletableFuture.supplyAsync(() -> {
            try {
                return broker.claim(new ClaimRequest("w", List.of("q"), 1, LEASE, Duration.ofSeconds(10)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        broker.enqueue(List.of(msg("late")));
        List<Delivery> ds = f.get(15, TimeUnit.SECONDS);
        assertEquals("late", ds.get(0).id());
    }

    @Test
    void claimReturnsEmptyAfterMaxWait() throws Exception {
        List<Delivery> ds = broker.claim(new ClaimRequest("w", List.of("q"), 1, LEASE, Duration.ofMillis(200)));
        assertTrue(ds.isEmpty());
    }

    @Test
    void expiredLeaseIsRedeliveredAndTheStaleWorkerIsFenced() {
        broker.enqueue(List.of(msg("a")));
        Delivery first = claimOne("w1");
        clock.advance(LEASE.plusSeconds(1));
        Delivery second = claimOne("w2");
        assertEquals("a", second.id());
        assertEquals(2, second.attempt());
        assertTrue(second.token() != first.token());
        broker.markStarted(List.of(first), clock.instant());
        assertEquals(TaskState.RECEIVED, results().get("q", "a").orElseThrow().state(), "stale start ignored");
        assertEquals(List.of(false), finish(List.of(Outcome.done(first, rec(first, TaskState.FAILURE)))));
        assertEquals(Set1.of("a"), broker.renew("w1", List.of(first), LEASE).lost());
        assertEquals(List.of(true), finish(List.of(Outcome.done(second, rec(second, TaskState.SUCCESS)))));
        TaskRecord r = results().get("q", "a").orElseThrow();
        assertEquals(TaskState.SUCCESS, r.state());
        assertEquals(2, r.attempt());
    }

    /** Small helper so the test reads naturally. */
    private static final class Set1 {
        static java.util.Set<String> of(String s) {
            return java.util.Set.of(s);
        }
    }

    @Test
    void renewKeepsTheLease() {
        broker.enqueue(List.of(msg("a")));
        Delivery d = claimOne("w1");
        for (int i = 0; i < 5; i++) {
            clock.advance(LEASE.minusSeconds(5));
            RenewResult r = broker.renew("w1", List.of(d), LEASE);
            assertTrue(r.lost().isEmpty());
            assertTrue(claim("w2", 1).isEmpty(), "a renewed lease is not taken over");
        }
        assertEquals(List.of(true), finish(List.of(Outcome.done(d, rec(d, TaskState.SUCCESS)))));
    }

    @Test
    void markStartedRecordsStarted() {
        broker.enqueue(List.of(msg("a")));
        Delivery d = claimOne("w1");
        broker.markStarted(List.of(d), clock.instant());
        TaskRecord r = results().get("q", "a").orElseThrow();
        assertEquals(TaskState.STARTED, r.state());
        assertEquals("w1", r.worker());
    }

    @Test
    void onlyTheCurrentClaimStoresProgressAndTheFinishReplacesIt() {
        broker.enqueue(List.of(msg("a")));
        Delivery d = claimOne("w1");
        String progress = "{\"state\":\"PROGRESS\",\"meta\":{\"done\":1}}";
        assertTrue(broker.reportProgress(d, progress, clock.instant()), "before the start mark: it says it started");
        TaskRecord r = results().get("q", "a").orElseThrow();
        assertEquals(TaskState.STARTED, r.state());
        assertEquals(progress, r.progress());
        broker.markStarted(List.of(d), clock.instant());
        assertEquals(progress, results().get("q", "a").orElseThrow().progress(), "the start mark keeps it");
        Delivery stale = new Delivery(d.id(), d.queue(), d.task(), d.priority(), d.body(), d.attempt(), d.token() + 99);
        assertFalse(broker.reportProgress(stale, "{\"state\":\"X\",\"meta\":0}", clock.instant()));
        assertEquals(progress, results().get("q", "a").orElseThrow().progress());
        assertEquals(List.of(true), finish(List.of(Outcome.done(d, rec(d, TaskState.SUCCESS)))));
        assertNull(results().get("q", "a").orElseThrow().progress());
        assertFalse(broker.reportProgress(d, progress, clock.instant()), "a finished task takes none");
    }

    @Test
    void retryGoesBackDelayedWithTheNewBody() {
        broker.enqueue(List.of(msg("a")));
        Delivery d = claimOne("w");
        assertEquals(List.of(true), finish(List.of(Outcome.retry(d, rec(d, TaskState.RETRY),
                clock.instant().plusSeconds(10), "{\"retry\":1}"))));
        assertEquals(TaskState.RETRY, results().get("q", "a").orElseThrow().state());
        assertTrue(claim("w", 1).isEmpty());
        clock.advance(Duration.ofSeconds(11));
        Delivery again = claimOne("w");
        assertEquals("{\"retry\":1}", again.body());
        assertEquals(2, again.attempt());
        assertEquals(List.of(false), finish(List.of(Outcome.done(d, rec(d, TaskState.SUCCESS)))),
                "the first claim's token is stale after a retry");
    }

    @Test
    void deadLettersAreListedResubmittedAndPurged() {
        broker.enqueue(List.of(msg("a", "q", 7, null), msg("b")));
        Delivery a = claimOne("w");
        finish(List.of(Outcome.dead(a, rec(a, TaskState.FAILURE), "boom")));
        Delivery b = claimOne("w");
        finish(List.of(Outcome.dead(b, rec(b, TaskState.FAILURE), "bang")));
        List<DeadLetter> dead = admin().deadLetters("q", 10);
        assertEquals(List.of("b", "a"), dead.stream().map(DeadLetter::id).toList(), "newest first");
        assertEquals("boom", dead.get(1).reason());
        assertEquals(a.body(), dead.get(1).body());
        assertEquals(TaskState.FAILURE, results().get("q", "a").orElseThrow().state());
        assertEquals(List.of(false), broker.enqueue(List.of(msg("a"))), "a dead id is still known");
        assertEquals(java.util.Optional.of(dead.get(1)), admin().deadLetter("q", "a"), "one read on its own");
        assertTrue(dead.get(1).isComplete());
        assertEquals("t.test", dead.get(1).task());
        assertTrue(admin().deadLetter("q", "nope").isEmpty());
        assertTrue(admin().resubmitDeadLetter("q", "a", "{\"again\":true}"));
        assertTrue(admin().deadLetter("q", "a").isEmpty(), "resubmitted");
        assertFalse(admin().resubmitDeadLetter("q", "nope", "{}"));
        Delivery again = claimOne("w");
        assertEquals("a", again.id());
        assertEquals("{\"again\":true}", again.body());
        assertEquals(7, again.priority());
        assertEquals(1, admin().purgeDeadLetters("q"));
        assertTrue(admin().deadLetters("q", 10).isEmpty());
    }

    @Test
    void releaseHandsBackWithoutCountingTheAttempt() {
        broker.enqueue(List.of(msg("a")));
        Delivery d = claimOne("w1");
        broker.release(List.of(d));
        Delivery again = claimOne("w2");
        assertEquals(1, again.attempt());
        assertEquals(List.of(false), finish(List.of(Outcome.done(d, rec(d, TaskState.SUCCESS)))));
    }

    @Test
    void revokeRemovesQueuedAndDelayedTasks() {
        broker.enqueue(List.of(msg("a"), msg("d", "q", 4, clock.instant().plusSeconds(5))));
        assertEquals(RevokeResult.REMOVED, broker.revoke("q", "a", "no longer needed"));
        assertEquals(RevokeResult.REMOVED, broker.revoke("q", "d", "no longer needed"));
        TaskRecord r = results().get("q", "a").orElseThrow();
        assertEquals(TaskState.REVOKED, r.state());
        assertEquals("no longer needed", r.reason());
        clock.advance(Duration.ofSeconds(10));
        assertTrue(claim("w", 5).isEmpty());
        assertEquals(RevokeResult.ALREADY_FINISHED, broker.revoke("q", "a", "again"));
    }

    @Test
    void revokeOfARunningTaskIsReportedAtRenewal() {
        broker.enqueue(List.of(msg("a")));
        Delivery d = claimOne("w");
        assertEquals(RevokeResult.SIGNALLED, broker.revoke("q", "a", "stop"));
        RenewResult r = broker.renew("w", List.of(d), LEASE);
        assertEquals(java.util.Set.of("a"), r.revoked());
    }

    @Test
    void revokeOfAnUnknownIdRevokesItOnArrival() {
        assertEquals(RevokeResult.NOT_FOUND, broker.revoke("q", "future", "cancelled early"));
        broker.enqueue(List.of(msg("future")));
        assertTrue(claim("w", 1).isEmpty());
        assertEquals(TaskState.REVOKED, results().get("q", "future").orElseThrow().state());
    }

    @Test
    void revokeMarkersOfUnknownIdsExpire() {
        assertEquals(RevokeResult.NOT_FOUND, broker.revoke("q", "soon", "cancelled early"));
        assertEquals(RevokeResult.NOT_FOUND, broker.revoke("q", "late", "cancelled early"));
        clock.advance(Duration.ofHours(23));
        assertEquals(List.of(true), broker.enqueue(List.of(msg("soon"))));
        assertEquals(TaskState.REVOKED, results().get("q", "soon").orElseThrow().state(),
                "within the marker TTL (default 24 h) a revoke applies on arrival");
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(true), broker.enqueue(List.of(msg("late"))));
        assertEquals("late", claimOne("w").id(), "an expired revoke marker no longer applies");
    }

    @Test
    void locateFindsIdsInEveryQueueAndPlace() {
        broker.enqueue(List.of(msg("fin")));
        Delivery fin = claimOne("w");
        finish(List.of(Outcome.done(fin, rec(fin, TaskState.SUCCESS))));
        broker.enqueue(List.of(msg("run")));
        claimOne("w");
        broker.enqueue(List.of(msg("dead")));
        Delivery dead = claimOne("w");
        finish(List.of(Outcome.dead(dead, rec(dead, TaskState.FAILURE), "boom")));
        broker.enqueue(List.of(msg("wait"), msg("later", "q", 4, clock.instant().plusSeconds(60)),
                msg("elsewhere", "q2", 4, null)));

        java.util.Map<String, TaskLocation> found = broker.locate(
                List.of("fin", "run", "dead", "wait", "later", "elsewhere", "nobody"));
        assertEquals(List.of("fin", "run", "dead", "wait", "later", "elsewhere"), List.copyOf(found.keySet()));
        assertEquals(TaskLocation.Place.FINISHED, found.get("fin").place());
        assertEquals(TaskState.SUCCESS, found.get("fin").record().state());
        assertEquals(TaskLocation.Place.RUNNING, found.get("run").place());
        assertEquals(TaskState.RECEIVED, found.get("run").record().state());
        assertEquals(TaskLocation.Place.DEAD, found.get("dead").place());
        assertEquals(TaskState.FAILURE, found.get("dead").record().state());
        assertEquals(TaskLocation.Place.QUEUED, found.get("wait").place());
        assertNull(found.get("wait").record(), "a queued task has no record until claimed");
        assertEquals("t.test", found.get("wait").task());
        assertEquals(TaskLocation.Place.DELAYED, found.get("later").place());
        assertEquals("q2", found.get("elsewhere").queue());
        assertEquals("q", found.get("wait").queue());

        assertEquals(java.util.Set.of("wait"), broker.locate("q", List.of("wait", "elsewhere")).keySet());
        assertTrue(admin().queues().containsAll(List.of("q", "q2")));

        clock.advance(Duration.ofHours(25));
        found = broker.locate(List.of("fin", "dead"));
        assertFalse(found.containsKey("fin"), "a finished task whose record expired is unknown");
        assertEquals(TaskLocation.Place.DEAD, found.get("dead").place(), "a dead letter outlives its record");
        assertEquals(TaskState.FAILURE, found.get("dead").record().state());
        assertEquals("boom", found.get("dead").record().reason());
    }

    @Test
    void awaitFinalCompletesWhenTheTaskFinishes() throws Exception {
        broker.enqueue(List.of(msg("a")));
        CompletableFuture<TaskRecord> f = results().awaitFinal("q", "a");
        assertFalse(f.isDone());
        Delivery d = claimOne("w");
        finish(List.of(Outcome.done(d, rec(d, TaskState.SUCCESS))));
        TaskRecord r = f.get(10, TimeUnit.SECONDS);
        assertEquals(TaskState.SUCCESS, r.state());
        assertEquals("42", r.result());
        assertEquals(TaskState.SUCCESS, results().awaitFinal("q", "a").get(10, TimeUnit.SECONDS).state(),
                "already final: completed once read");
    }

    @Test
    void cancelledAwaitDoesNotBreakLaterOnes() throws Exception {
        broker.enqueue(List.of(msg("a")));
        results().awaitFinal("q", "a").cancel(false);
        CompletableFuture<TaskRecord> f = results().awaitFinal("q", "a");
        Delivery d = claimOne("w");
        finish(List.of(Outcome.done(d, rec(d, TaskState.REVOKED))));
        assertEquals(TaskState.REVOKED, f.get(10, TimeUnit.SECONDS).state());
    }

    @Test
    void ignoredResultStoresNoRecord() {
        broker.enqueue(List.of(msg("a")));
        Delivery d = claimOne("w");
        finish(List.of(Outcome.done(d, null)));
        assertTrue(results().get("q", "a").isEmpty());
        assertEquals(0, admin().stats("q").inFlight());
    }

    @Test
    void aTaskLostTooOftenIsDeadLettered() {
        broker.enqueue(List.of(msg("poison")));
        for (int i = 0; i < 50; i++) {
            List<Delivery> ds = claim("w" + i, 1);
            if (ds.isEmpty()) {
                break;
            }
            clock.advance(LEASE.plusSeconds(1));
        }
        claim("sweeper", 1);
        List<DeadLetter> dead = admin().deadLetters("q", 10);
        assertEquals(1, dead.size(), "the poison task ends in the dead-letter set instead of looping");
        assertTrue(dead.get(0).reason().contains("lease expired"), dead.get(0).reason());
        assertEquals(TaskState.FAILURE, results().get("q", "poison").orElseThrow().state());
    }

    private List<Delivery> claimStarting(String consumer, int max, int startNow) {
        try {
            return broker.claim(new ClaimRequest(consumer, List.of("q"), max, LEASE, NO_WAIT, startNow));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void onlyLeasesLostAfterTheStartCountAgainstATask() {
        // A worker that crashes (poison) while it holds an innocent task it has not started: six crashes, the
        // poison marked started at claim (a free slot) or by markStarted (a held task that started).
        broker.enqueue(List.of(msg("poison"), msg("innocent")));
        for (int i = 0; i < 6; i++) {
            List<Delivery> ds = claimStarting("w" + i, 2, i % 2);
            assertEquals(List.of("poison", "innocent"), ds.stream().map(Delivery::id).toList());
            if (i % 2 == 0) {
                broker.markStarted(List.of(ds.get(0)), clock.instant());
            }
            clock.advance(LEASE.plusSeconds(1));
        }
        Delivery innocent = claimOne("sweeper");
        assertEquals("innocent", innocent.id());
        List<DeadLetter> dead = admin().deadLetters("q", 10);
        assertEquals(List.of("poison"), dead.stream().map(DeadLetter::id).toList());
        assertTrue(dead.get(0).reason().contains("lease expired 6 times"), dead.get(0).reason());
        assertEquals(List.of(true), finish(List.of(Outcome.done(innocent, rec(innocent, TaskState.SUCCESS)))));
        assertEquals(TaskState.SUCCESS, results().get("q", "innocent").orElseThrow().state());
    }

    @Test
    void aTaskLostTooOftenBeforeItStartedIsDeadLetteredToo() {
        broker.enqueue(List.of(msg("held")));
        int claims = 0;
        while (claims < 100 && !claimStarting("w" + claims, 1, 0).isEmpty()) {
            claims++;
            clock.advance(LEASE.plusSeconds(1));
        }
        assertEquals(16, claims, "the bound for losses before the start: max(10, 3 x maxRedeliveries) + 1");
        List<DeadLetter> dead = admin().deadLetters("q", 10);
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).reason().contains("before the task started"), dead.get(0).reason());
    }

    @Test
    void statsCountEachPlace() {
        broker.enqueue(List.of(msg("r1"), msg("r2"), msg("d1", "q", 4, clock.instant().plusSeconds(60)),
                msg("f1")));
        Delivery d = claimOne("w");
        finish(List.of(Outcome.dead(d, rec(d, TaskState.FAILURE), "x")));
        claimOne("w");
        QueueStats s = admin().stats("q");
        assertEquals(new QueueStats("q", 1, 1, 1, 1), s);
    }

    @Test
    void queuesAreIsolated() {
        broker.enqueue(List.of(msg("a", "one", 4, null)));
        assertTrue(claim("w", 1, "two").isEmpty());
        assertEquals(List.of(true), broker.enqueue(List.of(msg("a", "two", 4, null))), "ids are per queue");
    }

    @Test
    void leasesElectOneHolder() {
        Leases leases = (Leases) broker;
        assertTrue(leases.tryAcquire("leader", "a", Duration.ofSeconds(10)));
        assertFalse(leases.tryAcquire("leader", "b", Duration.ofSeconds(10)));
        assertTrue(leases.tryAcquire("leader", "a", Duration.ofSeconds(10)), "the holder renews");
        assertEquals("a", leases.holder("leader").orElseThrow());
        clock.advance(Duration.ofSeconds(11));
        assertTrue(leases.tryAcquire("leader", "b", Duration.ofSeconds(10)), "an expired lease is free");
        leases.release("leader", "a");
        assertEquals("b", leases.holder("leader").orElseThrow(), "only the holder releases");
        leases.release("leader", "b");
        assertTrue(leases.holder("leader").isEmpty());
        assertNotNull(leases);
    }

    private List<String> ids(TaskPage page) {
        return page.tasks().stream().map(TaskSummary::id).toList();
    }

    private TaskPage page(TaskLocation.Place place, TaskPage.Order order, int limit, String cursor) {
        return admin().tasks("q", place, order, limit, cursor);
    }

    @Test
    void queuedTasksAreListedInClaimOrderPageByPage() {
        broker.enqueue(List.of(msg("a0"), msg("a1"), msg("a2"), msg("b9", "q", 9, null), msg("a3"), msg("a4")));
        TaskPage first = page(TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 4, null);
        assertEquals(List.of("b9", "a0", "a1", "a2"), ids(first));
        assertNotNull(first.next());
        TaskPage second = page(TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 4, first.next());
        assertEquals(List.of("a3", "a4"), ids(second));
        assertNull(second.next(), "the last page");
        TaskPage newest = page(TaskLocation.Place.QUEUED, TaskPage.Order.NEWEST_FIRST, 4, null);
        assertEquals(List.of("a4", "a3", "a2", "a1"), ids(newest));
        assertEquals(List.of("a0", "b9"), ids(page(TaskLocation.Place.QUEUED, TaskPage.Order.NEWEST_FIRST, 4,
                newest.next())));
        TaskSummary b9 = first.tasks().get(0);
        assertEquals(9, b9.priority());
        assertEquals("t.test", b9.task());
        assertEquals("q", b9.queue());
        assertEquals(TaskLocation.Place.QUEUED, b9.place());
        assertNull(b9.record(), "never claimed: no record");
        assertNull(b9.at());
        assertEquals(6, ids(page(TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 6, null)).size());
        assertNull(page(TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 6, null).next());
    }

    @Test
    void delayedRunningFinishedAndDeadTasksAreListedByTheirTimes() {
        Instant t0 = clock.instant();
        broker.enqueue(List.of(msg("d-late", "q", 4, t0.plusSeconds(600)), msg("d-soon", "q", 4, t0.plusSeconds(300))));
        List<Delivery> done = new ArrayList<>();
        for (String id : List.of("r1", "r2", "f1", "f2", "x1", "x2")) {
            broker.enqueue(List.of(msg(id, "q", id.equals("x1") ? 7 : 4, null)));
            done.add(claimOne("w-" + id));
            clock.advance(Duration.ofSeconds(1));
        }
        for (Delivery d : done.subList(2, 6)) {
            Outcome o = d.id().startsWith("f") ? Outcome.done(d, rec(d, TaskState.SUCCESS))
                    : Outcome.dead(d, rec(d, TaskState.FAILURE), "boom " + d.id());
            assertEquals(List.of(true), finish(List.of(o)));
            clock.advance(Duration.ofSeconds(1));
        }
        TaskPage delayed = page(TaskLocation.Place.DELAYED, TaskPage.Order.OLDEST_FIRST, 10, null);
        assertEquals(List.of("d-soon", "d-late"), ids(delayed));
        assertEquals(t0.plusSeconds(300), delayed.tasks().get(0).at());
        assertEquals(List.of("d-late", "d-soon"), ids(page(TaskLocation.Place.DELAYED, TaskPage.Order.NEWEST_FIRST,
                10, null)));

        TaskPage running = page(TaskLocation.Place.RUNNING, TaskPage.Order.OLDEST_FIRST, 1, null);
        assertEquals(List.of("r1"), ids(running));
        Instant lease = running.tasks().get(0).at();
        assertTrue(!lease.isBefore(t0.plus(LEASE)) && lease.isBefore(t0.plus(LEASE).plusSeconds(1)),
                "ordered by lease deadline: " + lease);
        assertEquals(TaskState.RECEIVED, running.tasks().get(0).record().state());
        assertEquals("w-r1", running.tasks().get(0).record().worker());
        TaskPage running2 = page(TaskLocation.Place.RUNNING, TaskPage.Order.OLDEST_FIRST, 1, running.next());
        assertEquals(List.of("r2"), ids(running2));
        assertNull(running2.next());

        TaskPage finished = page(TaskLocation.Place.FINISHED, TaskPage.Order.NEWEST_FIRST, 10, null);
        assertEquals(List.of("x2", "x1", "f2", "f1"), ids(finished), "dead-lettered tasks have final records too");
        assertEquals(TaskState.SUCCESS, finished.tasks().get(3).record().state());
        assertEquals("t.test", finished.tasks().get(3).task());
        assertNull(finished.next());

        TaskPage dead = page(TaskLocation.Place.DEAD, TaskPage.Order.OLDEST_FIRST, 10, null);
        assertEquals(List.of("x1", "x2"), ids(dead));
        assertEquals(7, dead.tasks().get(0).priority());
        assertEquals("t.test", dead.tasks().get(0).task());
        assertEquals(TaskState.FAILURE, dead.tasks().get(0).record().state());

        clock.advance(Duration.ofHours(25));
        assertTrue(page(TaskLocation.Place.FINISHED, TaskPage.Order.OLDEST_FIRST, 10, null).tasks().isEmpty(),
                "expired records are not listed");
        assertTrue(page(TaskLocation.Place.FINISHED, TaskPage.Order.NEWEST_FIRST, 10, null).tasks().isEmpty());
        TaskSummary x1 = page(TaskLocation.Place.DEAD, TaskPage.Order.OLDEST_FIRST, 10, null).tasks().get(0);
        assertEquals(TaskState.FAILURE, x1.record().state(), "a dead letter outlives its record");
        assertEquals("boom x1", x1.record().reason());
    }

    @Test
    void listingAnUnknownQueueIsEmptyAndBadPagesAreRefused() {
        TaskPage none = admin().tasks("nowhere", TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 10, null);
        assertTrue(none.tasks().isEmpty());
        assertNull(none.next());
        assertThrows(IllegalArgumentException.class,
                () -> page(TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> page(TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, QueueAdmin.MAX_PAGE + 1, null));
        assertThrows(IllegalArgumentException.class,
                () -> page(TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 10, "not a cursor"));
    }

    /**
     * Whether follow-ups may go to another queue than the finishing task's. True for the in-memory broker and a
     * single Redis; a Redis Cluster refuses those in another slot (see Outcome.followUps).
     */
    protected boolean followUpsToAnyQueue() {
        return true;
    }

    private TaskLocation.Place placeOf(String id) {
        TaskLocation l = broker.locate(List.of(id)).get(id);
        return l == null ? null : l.place();
    }

    @Test
    void followUpsAreEnqueuedExactlyOnceWithTheFinish() {
        broker.enqueue(List.of(msg("parent")));
        Delivery d = claimOne("w");
        Outcome o = Outcome.done(d, rec(d, TaskState.SUCCESS)).withFollowUps(List.of(msg("child"),
                msg("later", "q", 4, clock.instant().plusSeconds(60))));
        assertEquals(List.of(true), finish(List.of(o)));
        assertEquals(TaskLocation.Place.QUEUED, placeOf("child"));
        assertEquals(TaskLocation.Place.DELAYED, placeOf("later"));
        assertEquals(TaskState.SUCCESS, results().get("q", "parent").orElseThrow().state());
        assertEquals(List.of(false), finish(List.of(o)), "a second finish of the same claim is stale");
        assertEquals(List.of("child"), claim("w", 5).stream().map(Delivery::id).toList(), "enqueued once");
        assertEquals(new QueueStats("q", 0, 1, 1, 0), admin().stats("q"));
    }

    @Test
    void followUpsOfARefusedFinishAreNotEnqueued() {
        broker.enqueue(List.of(msg("p")));
        Delivery stale = claimOne("w1");
        clock.advance(LEASE.plusSeconds(1));
        Delivery current = claimOne("w2");
        assertEquals(List.of(false), finish(List.of(Outcome.done(stale, rec(stale, TaskState.SUCCESS))
                .withFollowUps(List.of(msg("orphan"))))), "lease lost: refused");
        assertNull(placeOf("orphan"), "nor its follow-up");
        broker.enqueue(List.of(msg("other")));
        Delivery other = claimOne("w3");
        clock.advance(LEASE.plusSeconds(1));
        Delivery again = claim("w4", 2).stream().filter(x -> x.id().equals("p")).findFirst().orElseThrow();
        // In one call: a stale outcome (other's lease expired) and an accepted one; each brings its own follow-up.
        List<Boolean> r = finish(List.of(
                Outcome.dead(other, rec(other, TaskState.FAILURE), "x").withFollowUps(List.of(msg("errback"))),
                Outcome.done(again, rec(again, TaskState.SUCCESS)).withFollowUps(List.of(msg("callback")))));
        assertEquals(List.of(false, true), r);
        assertNull(placeOf("errback"));
        assertEquals(TaskLocation.Place.QUEUED, placeOf("callback"));
        assertEquals(List.of(false), finish(List.of(Outcome.done(current, rec(current, TaskState.SUCCESS))
                .withFollowUps(List.of(msg("late"))))), "a token older than the latest claim's");
        assertNull(placeOf("late"));
    }

    @Test
    void followUpsOfEveryKindAreEnqueuedAndKnownIdsSkipped() {
        broker.enqueue(List.of(msg("a"), msg("b"), msg("known")));
        List<Delivery> ds = claim("w", 2);
        Outcome retry = Outcome.retry(ds.get(0), rec(ds.get(0), TaskState.RETRY), clock.instant().plusSeconds(5),
                "{}").withFollowUps(List.of(msg("r-child", "q", 9, null)));
        Outcome dead = Outcome.dead(ds.get(1), rec(ds.get(1), TaskState.FAILURE), "boom")
                .withFollowUps(List.of(msg("d-child"), msg("known"), msg("d-child")));
        assertEquals(List.of(true, true), finish(List.of(retry, dead)));
        assertEquals(List.of("r-child", "known", "d-child"), claim("w", 5).stream().map(Delivery::id).toList(),
                "each once, a known id not enqueued again, priority kept");
        assertEquals(RevokeResult.NOT_FOUND, broker.revoke("q", "revoked-child", "cancelled early"));
        broker.enqueue(List.of(msg("c")));
        Delivery c = claimOne("w");
        assertEquals(List.of(true), finish(List.of(Outcome.done(c, null)
                .withFollowUps(List.of(msg("revoked-child"))))));
        assertEquals(TaskState.REVOKED, results().get("q", "revoked-child").orElseThrow().state(),
                "revoked before it arrived, as an enqueue");
    }

    @Test
    void followUpsToAnotherQueue() {
        broker.enqueue(List.of(msg("p")));
        Delivery d = claimOne("w");
        Outcome o = Outcome.done(d, rec(d, TaskState.SUCCESS)).withFollowUps(List.of(msg("next", "q2", 4, null)));
        if (followUpsToAnyQueue()) {
            assertEquals(List.of(true), finish(List.of(o)));
            assertEquals("q2", broker.locate(List.of("next")).get("next").queue());
            assertTrue(admin().queues().contains("q2"));
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> finish(List.of(o)));
        assertTrue(e.getMessage().contains("slot"), e.getMessage());
        assertEquals(TaskLocation.Place.RUNNING, placeOf("p"), "refused whole: the finish did not happen either");
        assertNull(placeOf("next"));
        assertEquals(List.of(true), finish(List.of(Outcome.done(d, rec(d, TaskState.SUCCESS)))));
    }

    @Test
    void closedBrokerRefusesWork() {
        broker.close();
        assertThrows(RuntimeException.class, () -> broker.enqueue(List.of(msg("a"))));
        broker = newBroker(clock);
    }
}
