package io.taskq.internal;

import io.taskq.spi.Broker;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a submit's messages to the broker, and sends the same messages again after a transient failure (see
 * {@link Broker#isTransient}) until the retry budget is spent, with a growing pause in between (50 ms doubling to
 * 1 s, jittered). Safe because a message keeps its id: enqueueing a known id is a no-op. A failed attempt may have
 * landed before its reply was lost, so once an attempt has failed, a later "id already known" answer counts as
 * submitted by this call.
 */
public final class SubmitRetry {
    private static final Logger log = LoggerFactory.getLogger(SubmitRetry.class);
    private static final long FIRST_PAUSE_MS = 50;
    private static final long MAX_PAUSE_MS = 1000;

    private final Broker broker;
    private final Duration budget;

    /**
     * @param broker where to send
     * @param budget how long, from the first attempt, a transient failure is retried; zero: never
     */
    public SubmitRetry(Broker broker, Duration budget) {
        this.broker = broker;
        this.budget = budget;
    }

    /**
     * Enqueues the messages, retrying transient failures within the budget.
     *
     * @return per message, true if it is in the broker because of this call (or may be: see the class comment),
     *         false if its id was known before
     * @throws RuntimeException the last failure, if the messages could not be sent within the budget or the
     *                          failure is not transient
     */
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        long deadline = System.nanoTime() + budget.toNanos();
        long pause = FIRST_PAUSE_MS;
        int failed = 0;
        while (true) {
            try {
                List<Boolean> r = broker.enqueue(messages);
                if (failed > 0) {
                    log.info("submit of {} task(s) went through after {} failed attempt(s)", messages.size(),
                            failed);
                    return r.stream().map(x -> true).toList();
                }
                return r;
            } catch (RuntimeException e) {
                long jittered = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
                if (!broker.isTransient(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered) - deadline > 0) {
                    throw e;
                }
                failed++;
                log.debug("submit of {} task(s) failed (attempt {}), retrying in {} ms: {}", messages.size(), failed,
                        jittered, e.toString());
                try {
                    Thread.sleep(jittered);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(ie);
                    throw e;
                }
                pause = Math.min(MAX_PAUSE_MS, pause * 2);
            }
        }
    }
}
