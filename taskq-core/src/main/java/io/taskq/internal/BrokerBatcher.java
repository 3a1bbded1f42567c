package io.taskq.internal;

import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the worker's "started" and "finished" reports into batched broker calls and refills the slots of
 * finished tasks in the same call ({@link Broker#finishAndClaim}): on Redis one script run reports the starts and
 * outcomes of a batch and claims the next tasks, which go straight to the threads that reported (no separate
 * claim, no hand-off to the fetch thread). At low load a finish goes out alone as soon as it arrives; a start
 * report waits up to {@link #START_LINGER_NANOS} for company (usually the same task's finish, which then
 * supersedes it in the same call), so STARTED becomes visible at most that much later.
 */
final class BrokerBatcher {
    private static final Logger log = LoggerFactory.getLogger(BrokerBatcher.class);
    private static final int MAX_BATCH = 256;
    static final long START_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The broker's answer to one finish: accepted or stale, and a task claimed for the freed slot (or null). */
    record Reply(boolean accepted, Delivery next) {
    }

    private record Started(Delivery delivery, Instant at) {
    }

    private record Finish(Outcome outcome, CompletableFuture<Reply> reply) {
    }

    private final Broker broker;
    private final IntFunction<ClaimRequest> refill;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param refill given the number of slots a batch frees, the claim to make for them, or null to claim nothing
     */
    BrokerBatcher(Broker broker, String name, IntFunction<ClaimRequest> refill) {
        this.broker = broker;
        this.refill = refill;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Reports that a task started; fire and forget (a stale or late report is ignored by the broker). */
    void started(Delivery d, Instant at) {
        queue.add(new Started(d, at));
    }

    /**
     * Reports an outcome and waits for the broker's answer. If the reply carries a delivery, the caller's slot
     * now belongs to that task and the caller must run it.
     *
     * @throws RuntimeException if the broker call failed
     */
    Reply finish(Outcome outcome) throws InterruptedException {
        if (!running) {
            throw new IllegalStateException("worker stopped");
        }
        CompletableFuture<Reply> f = new CompletableFuture<>();
        queue.add(new Finish(outcome, f));
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    private void loop() {
        List<Object> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (running && !hasFinish(batch)) {
                    // Only start reports: give the tasks a moment to finish, so one call reports both.
                    long deadline = System.nanoTime() + START_LINGER_NANOS;
                    long left;
                    while (batch.size() < MAX_BATCH && (left = deadline - System.nanoTime()) > 0) {
                        Object more = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (more == null) {
                            break;
                        }
                        batch.add(more);
                        if (more instanceof Finish) {
                            queue.drainTo(batch, MAX_BATCH - batch.size());
                            break;
                        }
                    }
                }
                flush(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    if (!batch.isEmpty()) {
                        flush(batch);
                    }
                    break;
                }
            } finally {
                batch.clear();
            }
        }
        List<Object> left = new ArrayList<>();
        queue.drainTo(left);
        for (Object o : left) {
            if (o instanceof Finish f) {
                f.reply.completeExceptionally(new IllegalStateException("worker stopped"));
            }
        }
    }

    private static boolean hasFinish(List<Object> batch) {
        for (Object o : batch) {
            if (o instanceof Finish) {
                return true;
            }
        }
        return false;
    }

    private void flush(List<Object> batch) {
        List<Started> starts = new ArrayList<>();
        List<Finish> finishes = new ArrayList<>();
        for (Object o : batch) {
            if (o instanceof Started s) {
                starts.add(s);
            } else {
                finishes.add((Finish) o);
            }
        }
        List<Outcome> outcomes = new ArrayList<>(finishes.size());
        java.util.Set<Delivery> finished = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Finish f : finishes) {
            outcomes.add(f.outcome);
            finished.add(f.outcome.delivery());
        }
        // A start reported in the same call as its task's outcome would be overwritten at once: leave it out.
        List<Delivery> started = new ArrayList<>(starts.size());
        Instant at = null;
        for (Started s : starts) {
            if (!finished.contains(s.delivery)) {
                started.add(s.delivery);
                at = s.at;
            }
        }
        ClaimRequest next = finishes.isEmpty() || !running ? null : refill.apply(finishes.size());
        if (outcomes.isEmpty()) {
            if (!started.isEmpty()) {
                try {
                    broker.markStarted(started, at);
                } catch (RuntimeException e) {
                    log.warn("could not record {} task start(s): {}", started.size(), e.toString());
                }
            }
            return;
        }
        FinishAndClaim r;
        try {
            r = broker.finishAndClaim(started, at == null ? Instant.EPOCH : at, outcomes, next);
        } catch (RuntimeException e) {
            finishes.forEach(f -> f.reply.completeExceptionally(e));
            return;
        }
        List<Delivery> claimed = r.claimed();
        int extra = claimed.size() - finishes.size();
        if (extra > 0) {
            // A broker must not return more than asked; hand any surplus back rather than overfill the slots.
            try {
                broker.release(claimed.subList(finishes.size(), claimed.size()));
            } catch (RuntimeException e) {
                log.warn("could not hand back {} surplus task(s); their leases will expire", extra);
            }
        }
        for (int i = 0; i < finishes.size(); i++) {
            finishes.get(i).reply.complete(new Reply(r.accepted().get(i), i < claimed.size() ? claimed.get(i) : null));
        }
    }

    /** Sends what is queued, then stops. */
    void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
