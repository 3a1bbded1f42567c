package io.taskq.internal.worker;

import static io.taskq.internal.worker.ScriptedBroker.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.taskq.contract.Await;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Outcome;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reporting with retries against a scripted broker: a failed report is tried again until the broker takes it or
 * the attempt's lease would have ended (by the injected ticker), a report left for later is retried on the timer
 * and counted as pending until answered, and a refused outcome counts as stale.
 */
class OutcomeReporterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ManualTicker ticker = new ManualTicker();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final WorkerContext ctx = TestWorkers.context(broker, ticker, TestWorkers.options().lease(LEASE).build());
    private final OutcomeReporter reporter = new OutcomeReporter(ctx, new BrokerBatcher(broker, ticker, ctx.threads,
            "taskq-report-test", new BrokerBatcher.Refill() {
                @Override
                public ClaimRequest request(int freed) {
                    return null;
                }

                @Override
                public List<Delivery> claimed(ClaimRequest request, int freed, List<Delivery> claimed) {
                    return claimed;
                }
            }));

    @AfterEach
    void close() {
        reporter.close();
        ctx.threads.shutdownNow();
    }

    /** The broker fails the first {@code n} reports, then accepts (or refuses, if not {@code accept}) them. */
    private AtomicInteger failFirst(int n, boolean accept) {
        AtomicInteger calls = new AtomicInteger();
        broker.onFinish = call -> {
            if (calls.incrementAndGet() <= n) {
                throw new IllegalStateException("broker down");
            }
            return new FinishAndClaim(Collections.nCopies(call.outcomes().size(), accept), List.of());
        };
        return calls;
    }

    private static Attempt attempt(String id) {
        return new Attempt(delivery(id));
    }

    @Test
    void aFailedReportIsTriedAgainUntilTheBrokerTakesIt() {
        AtomicInteger calls = failFirst(2, true);
        reporter.start();
        Attempt a = attempt("a");
        assertNull(reporter.finish(a, Outcome.done(a.delivery, null)));
        assertEquals(3, calls.get());
        assertEquals(0, ctx.staleOutcomeCount());
    }

    @Test
    void aReportIsGivenUpOnceTheLeaseWouldHaveEnded() {
        AtomicInteger calls = new AtomicInteger();
        broker.onFinish = call -> {
            calls.incrementAndGet();
            ticker.advance(LEASE.plusSeconds(1));
            throw new IllegalStateException("broker down");
        };
        reporter.start();
        Attempt a = attempt("a");
        assertNull(reporter.finish(a, Outcome.done(a.delivery, null)));
        assertEquals(1, calls.get(), "past the lease, the task runs again elsewhere: no second try");
    }

    @Test
    void aReportLeftForLaterIsRetriedOnTheTimerAndPendingUntilAnswered() {
        AtomicInteger calls = failFirst(1, true);
        reporter.start();
        Attempt a = attempt("a");
        reporter.reportLater(a, Outcome.done(a.delivery, null));
        Await.until(WAIT, "the report answered", () -> reporter.pending() == 0);
        assertEquals(2, calls.get());
    }

    @Test
    void aRefusedOutcomeCountsAsStale() {
        failFirst(0, false);
        reporter.start();
        Attempt a = attempt("a");
        reporter.finish(a, Outcome.done(a.delivery, null));
        assertEquals(1, ctx.staleOutcomeCount());
    }
}
