package io.taskq.internal.worker;

import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports starts and outcomes to the broker through the {@link BrokerBatcher}, trying a failed report again with
 * backoff until the attempt's lease would end (then the task runs again after its lease), and counts the outcomes
 * the broker refused as stale. A report either waits for its answer on the finishing thread ({@link #finish},
 * which may bring the task claimed for the freed slot) or goes without waiting ({@link #reportLater}), counted as
 * pending until answered so that the shutdown can wait for it.
 */
final class OutcomeReporter {
    private static final Logger log = LoggerFactory.getLogger(OutcomeReporter.class);

    private final WorkerContext ctx;
    private final BrokerBatcher batcher;
    /** Outcomes handed to the batcher without waiting (their slot went to a held task) and not answered yet. */
    private final AtomicInteger pending = new AtomicInteger();

    OutcomeReporter(WorkerContext ctx, BrokerBatcher batcher) {
        this.ctx = ctx;
        this.batcher = batcher;
    }

    /** Starts the batcher's reporter thread. */
    void start() {
        batcher.start();
    }

    /** Reports that a task started; fire and forget. */
    void started(Delivery d, Instant at) {
        batcher.started(d, at);
    }

    /** Outcomes reported without waiting and not answered yet. */
    int pending() {
        return pending.get();
    }

    /** Stops the batcher once its queued reports are sent; later reports are refused. */
    void close() {
        batcher.close();
    }

    /**
     * Reports the outcome and waits for the answer, trying again while the broker fails; returns the task claimed
     * for the freed slot, if any.
     */
    Delivery finish(Attempt a, Outcome outcome) {
        ReportRetry retry = new ReportRetry(a);
        while (true) {
            try {
                BrokerBatcher.Reply reply = batcher.finish(outcome);
                checkAccepted(a, outcome, reply);
                return reply.next();
            } catch (RuntimeException e) {
                long pause = retry.pauseAfter(e);
                if (pause < 0) {
                    return null;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /**
     * Reports the outcome of an attempt that no longer owns a slot, without waiting: the batcher sends it and
     * answers on its own thread; while the broker is unreachable the timer tries again, as {@link #finish} would.
     * The shutdown waits for these reports like for running tasks.
     */
    void reportLater(Attempt a, Outcome outcome) {
        pending.incrementAndGet();
        sendLater(a, outcome, new ReportRetry(a));
    }

    private void sendLater(Attempt a, Outcome outcome, ReportRetry retry) {
        try {
            batcher.finishLater(outcome, (reply, error) -> {
                if (error == null) {
                    checkAccepted(a, outcome, reply);
                    answered();
                } else {
                    retryLater(a, outcome, retry, error);
                }
            });
        } catch (RuntimeException e) {
            retryLater(a, outcome, retry, e);
        }
    }

    private void retryLater(Attempt a, Outcome outcome, ReportRetry retry, RuntimeException error) {
        long pause = retry.pauseAfter(error);
        if (pause < 0) {
            answered();
            return;
        }
        try {
            ctx.threads.schedule(() -> sendLater(a, outcome, retry), pause);
        } catch (RejectedExecutionException e) {
            log.error("task {}: worker stopped before its outcome could be reported; the lease will expire and the"
                    + " task run again", a.id());
            answered();
        }
    }

    private void answered() {
        pending.decrementAndGet();
        ctx.signalSettled();
    }

    private void checkAccepted(Attempt a, Outcome outcome, BrokerBatcher.Reply reply) {
        if (reply.accepted()) {
            ctx.events.followUpsSent(a.delivery, a.envelope, outcome.followUps());
        } else {
            ctx.staleOutcome();
            log.warn("task {}: broker refused the outcome: lease lost (stale attempt {})", a.id(),
                    a.delivery.attempt());
        }
    }

    /** When to try reporting an outcome again while the broker fails: with backoff, until the lease would end. */
    private final class ReportRetry {
        private final Attempt attempt;
        private final long deadline = ctx.ticker.read() + ctx.options.lease().toNanos();
        private long pause = 50;

        ReportRetry(Attempt attempt) {
            this.attempt = attempt;
        }

        /** The pause in ms before the next try, or -1 to give up (the task runs again after its lease). */
        long pauseAfter(RuntimeException e) {
            if (ctx.ticker.read() > deadline) {
                log.error("task {}: could not report outcome; the lease will expire and the task run again",
                        attempt.id(), e);
                return -1;
            }
            log.warn("task {}: reporting outcome failed, retrying: {}", attempt.id(), e.toString());
            long p = pause;
            pause = Math.min(1000, pause * 2);
            return p;
        }
    }
}
