package io.taskq.internal.worker;

import static io.taskq.internal.worker.ScriptedBroker.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Await;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outcome batching against a scripted broker: outcomes queued while a call is in flight go together in the next
 * call, the claim that rides with a batch refills the waiting threads (and a surplus goes back), a failed call
 * fails its finishes and frees what its claim reserved, and start reports ride with the next call unless they
 * linger past {@link BrokerBatcher#START_LINGER_NANOS} by the injected ticker.
 */
class BrokerBatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Claims one task per waiting thread and records what it was given back. */
    private static final class RecordingRefill implements BrokerBatcher.Refill {
        final List<List<Delivery>> given = new CopyOnWriteArrayList<>();

        @Override
        public ClaimRequest request(int freed) {
            return freed == 0 ? null : new ClaimRequest(TestWorkers.ID, List.of("default"), freed,
                    Duration.ofSeconds(30), Duration.ZERO);
        }

        @Override
        public List<Delivery> claimed(ClaimRequest request, int freed, List<Delivery> claimed) {
            given.add(claimed);
            return claimed;
        }
    }

    private final ManualTicker ticker = new ManualTicker();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final RecordingRefill refill = new RecordingRefill();
    private final WorkerThreads threads = new WorkerThreads(TestWorkers::daemon, TestWorkers.ID);
    private final BrokerBatcher batcher = new BrokerBatcher(broker, ticker, threads, "taskq-report-test", refill);

    @AfterEach
    void close() {
        batcher.close();
        threads.shutdownNow();
    }

    private static Outcome done(String id) {
        return Outcome.done(delivery(id), null);
    }

    private static FinishAndClaim acceptAll(ScriptedBroker.FinishCall call, List<Delivery> claimed) {
        return new FinishAndClaim(Collections.nCopies(call.outcomes().size(), true), claimed);
    }

    @Test
    void outcomesQueuedWhileACallIsInFlightGoTogetherInTheNextCall() throws Exception {
        CountDownLatch firstCallMayEnd = new CountDownLatch(1);
        broker.onFinish = call -> {
            if (broker.finishCalls.size() == 1) {
                await(firstCallMayEnd);
            }
            return acceptAll(call, List.of());
        };
        batcher.start();
        // A lone finisher makes the call itself.
        CompletableFuture<BrokerBatcher.Reply> lone = CompletableFuture.supplyAsync(() -> batcher.finish(done("a")));
        Await.until(WAIT, "the first call in flight", () -> broker.finishCalls.size() == 1);
        List<BrokerBatcher.Reply> answered = new CopyOnWriteArrayList<>();
        for (String id : List.of("b", "c", "d")) {
            batcher.finishLater(done(id), (reply, error) -> answered.add(reply));
        }
        firstCallMayEnd.countDown();
        assertTrue(lone.get(WAIT.toSeconds(), TimeUnit.SECONDS).accepted());
        Await.until(WAIT, "the three later outcomes answered", () -> answered.size() == 3);
        assertEquals(2, broker.finishCalls.size(), "one call for the three queued outcomes");
        assertEquals(List.of("b", "c", "d"), broker.finishCalls.get(1).outcomes().stream()
                .map(o -> o.delivery().id()).toList());
        assertNull(broker.finishCalls.get(1).next(), "no thread waits in that batch: nothing claimed for it");
    }

    @Test
    void theClaimThatRidesWithAFinishRefillsTheWaitingThreadAndHandsASurplusBack() {
        broker.onFinish = call -> acceptAll(call, List.of(delivery("next"), delivery("surplus")));
        batcher.start();
        BrokerBatcher.Reply reply = batcher.finish(done("a"));
        assertTrue(reply.accepted());
        assertEquals("next", reply.next().id(), "the task claimed in the same call runs on the finishing thread");
        assertEquals(1, broker.finishCalls.get(0).next().max(), "one claim for the one waiting thread");
        assertEquals(List.of("surplus"), broker.released.stream().map(Delivery::id).toList(),
                "more than asked goes back");
        assertEquals(1, refill.given.size());
        assertEquals(List.of("next"), refill.given.get(0).stream().map(Delivery::id).toList());
    }

    @Test
    void aFailedCallFailsItsFinishesAndFreesWhatItsClaimReserved() {
        IllegalStateException down = new IllegalStateException("broker down");
        broker.onFinish = call -> {
            throw down;
        };
        batcher.start();
        assertSame(down, assertThrows(IllegalStateException.class, () -> batcher.finish(done("a"))));
        assertEquals(List.of(List.of()), refill.given, "the refill is told that nothing was claimed");

        broker.onFinish = call -> acceptAll(call, List.of());
        assertTrue(batcher.finish(done("a")).accepted(), "the next report goes through");
    }

    @Test
    void aStartRidesWithTheNextFinishWhileItLingersButNotWithItsOwnTaskFinish() {
        batcher.start();
        // The ticker does not move: the start report lingers, so the reporter never sends it alone.
        Delivery a = delivery("a");
        batcher.started(delivery("s"), Instant.now());
        batcher.started(a, Instant.now());
        batcher.finish(Outcome.done(a, null));
        assertEquals(1, broker.finishCalls.size());
        assertEquals(List.of("s"), broker.finishCalls.get(0).started().stream().map(Delivery::id).toList());
        assertTrue(broker.startMarks.isEmpty(), "no start report went alone");
    }

    @Test
    void aStartThatLingersPastItsTimeGoesAlone() {
        batcher.start();
        batcher.started(delivery("s"), Instant.now());
        ticker.advance(Duration.ofNanos(BrokerBatcher.START_LINGER_NANOS));
        Await.until(WAIT, "the start report sent alone", () -> broker.startMarks.size() == 1);
        assertEquals(List.of("s"), broker.startMarks.get(0).stream().map(Delivery::id).toList());
        assertTrue(broker.finishCalls.isEmpty());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
