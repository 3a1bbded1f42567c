package io.taskq.internal.worker;

import static io.taskq.internal.worker.ScriptedBroker.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.spi.ClaimRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fetch loop against a scripted broker: it claims for every free permit, is woken by a permit that frees (well
 * before its claim wait of 30 s runs out), gives back the permits of tasks it did not get, backs off while the broker
 * fails, and reports its health from the injected ticker.
 */
class ClaimLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManualTicker ticker = new ManualTicker();
    private final ScriptedBroker broker = new ScriptedBroker();
    /** The attempts the loop started on a slot (the test runs none of them). */
    private final List<Attempt> started = new CopyOnWriteArrayList<>();
    private WorkerContext ctx;
    private Slots slots;
    private ClaimLoop loop;

    private void start(WorkerOptions options) {
        ctx = TestWorkers.context(broker, ticker, options);
        slots = new Slots(ctx, started::add);
        loop = new ClaimLoop(ctx, slots, new QueueSelection(ctx.options));
        loop.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (ctx != null) {
            ctx.beginClose();
            loop.interrupt();
            loop.join(WAIT.toMillis());
            ctx.threads.shutdownNow();
        }
    }

    private ClaimRequest awaitClaim(int n) {
        Await.until(WAIT, "claim " + n, () -> broker.claims.size() >= n);
        assertEquals(n, broker.claims.size(), "no other claim");
        return broker.claims.get(n - 1);
    }

    /** A running task leaves its slot: the slot and the claim permit free. */
    private void finish(Attempt a) {
        slots.leaveSlot();
        slots.unregister(a);
        slots.returnPermits(1);
    }

    @Test
    void claimsForEveryFreeSlotAndAgainAsSoonAsASlotFrees() {
        broker.answerClaim(List.of(delivery("t1"), delivery("t2")));
        start(TestWorkers.options().concurrency(2).build());
        ClaimRequest first = awaitClaim(1);
        assertEquals(2, first.max());
        assertEquals(2, first.startNow(), "both start at once on free slots");
        Await.until(WAIT, "both tasks started", () -> started.size() == 2);
        assertEquals(2, slots.runningCount());

        finish(started.get(0));
        ClaimRequest second = awaitClaim(2);
        assertEquals(1, second.max(), "one slot is free");
    }

    @Test
    void givesBackThePermitsOfTasksItDidNotGet() {
        broker.answerClaim(List.of(delivery("t1")));
        start(TestWorkers.options().concurrency(3).build());
        Await.until(WAIT, "a second claim", () -> broker.claims.size() >= 2);
        assertEquals(3, broker.claims.get(0).max());
        assertEquals(2, broker.claims.get(1).max(), "the two slots the first claim did not fill");
    }

    @Test
    void withPrefetchClaimsForTheHeldTasksTooAndHoldsWhatFindsNoSlot() {
        broker.answerClaim(List.of(delivery("t1"), delivery("t2"), delivery("t3")));
        start(TestWorkers.options().concurrency(1).prefetch(2).build());
        ClaimRequest first = awaitClaim(1);
        assertEquals(3, first.max(), "one slot and two held");
        assertEquals(1, first.startNow(), "only the first starts at once");
        Await.until(WAIT, "two tasks held", () -> slots.heldCount() == 2);
        assertEquals(List.of("t1"), started.stream().map(Attempt::id).toList());

        // Dropped while held (a revoke): its permit frees for the next claim, none of whose tasks start at once
        // while an older task is still held.
        assertEquals("t2", slots.dropHeld("t2").id());
        ClaimRequest second = awaitClaim(2);
        assertEquals(1, second.max());
        assertEquals(0, second.startNow(), "a task is still held, so nothing claimed now starts at once");
    }

    @Test
    void backsOffWhileTheBrokerFailsAndIsHealthyAgainOnceItAnswers() {
        for (int i = 0; i < 3; i++) {
            broker.failClaim(new IllegalStateException("broker down"));
        }
        start(TestWorkers.options().concurrency(1).build());
        Await.until(WAIT, "three failed claims", () -> broker.claims.size() >= 3 && !loop.healthy());
        broker.answerClaim(List.of());
        Await.until(WAIT, "a claim that succeeds", () -> loop.healthy());
        assertTrue(broker.claims.stream().allMatch(c -> c.max() == 1),
                "every failed claim gave its permit back: " + broker.claims);
    }

    @Test
    void thePauseAfterFailedClaimsDoublesUpToTwoSeconds() {
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L),
                IntStream.rangeClosed(1, 7).mapToObj(ClaimLoop::pauseAfterFailures).toList());
        assertEquals(2000L, ClaimLoop.pauseAfterFailures(1000));
    }

    @Test
    void isUnhealthyOnceNoClaimCycleEndedForThreeClaimWaits() {
        start(TestWorkers.options().concurrency(1).build());
        awaitClaim(1);
        assertTrue(loop.healthy());
        // The claim still waits (30 s of real time): by the ticker, three claim waits passed.
        ticker.advance(Duration.ofSeconds(91));
        assertFalse(loop.healthy());
        broker.answerClaim(List.of());
        Await.until(WAIT, "the claim cycle ended", () -> loop.healthy());
    }

    @Test
    void takesNoWorkWhileTooManyThreadsAreAbandonedAndResumesWhenOneEnds() {
        ctx = TestWorkers.context(broker, ticker, TestWorkers.options().concurrency(1).maxAbandoned(0).build());
        slots = new Slots(ctx, started::add);
        loop = new ClaimLoop(ctx, slots, new QueueSelection(ctx.options));
        ctx.abandonedOne();
        loop.start();
        assertTrue(broker.claims.isEmpty(), "no claim while a thread is abandoned");
        ctx.abandonedEnded();
        // Signalled again while waiting: the end may have been signalled before the loop began to wait.
        Await.until(WAIT, "a claim once the thread ended", () -> {
            ctx.signalSettled();
            return broker.claims.size() == 1;
        });
    }
}
