package io.taskq.internal;

import io.taskq.spi.Broker;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the worker's "started" and "finished" reports into batched broker calls. At low load each report goes
 * out alone as soon as it arrives (no added delay); under load, whatever accumulated while the previous call was in
 * flight goes out in one call, which saves a round trip and a script run per task on Redis.
 */
final class BrokerBatcher {
    private static final Logger log = LoggerFactory.getLogger(BrokerBatcher.class);
    private static final int MAX_BATCH = 256;

    private record Started(Delivery delivery, Instant at) {
    }

    private record Finish(Outcome outcome, CompletableFuture<Boolean> accepted) {
    }

    private final Broker broker;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    BrokerBatcher(Broker broker, String name) {
        this.broker = broker;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Reports that a task started; fire and forget (a stale or late report is ignored by the broker). */
    void started(Delivery d, Instant at) {
        queue.add(new Started(d, at));
    }

    /**
     * Reports an outcome and waits for the broker's answer.
     *
     * @return true if accepted, false if the claim was stale
     * @throws RuntimeException if the broker call failed
     */
    boolean finish(Outcome outcome) throws InterruptedException {
        if (!running) {
            throw new IllegalStateException("worker stopped");
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
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
                flush(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } finally {
                batch.clear();
            }
        }
        for (Object o : queue) {
            if (o instanceof Finish f) {
                f.accepted.completeExceptionally(new IllegalStateException("worker stopped"));
            }
        }
    }

    private void flush(List<Object> batch) {
        List<Delivery> started = new ArrayList<>();
        Instant at = null;
        List<Finish> finishes = new ArrayList<>();
        for (Object o : batch) {
            if (o instanceof Started s) {
                started.add(s.delivery);
                at = s.at;
            } else {
                finishes.add((Finish) o);
            }
        }
        // Starts first: a task's start report is always queued before its outcome.
        if (!started.isEmpty()) {
            try {
                broker.markStarted(started, at);
            } catch (RuntimeException e) {
                log.warn("could not record {} task start(s): {}", started.size(), e.toString());
            }
        }
        if (!finishes.isEmpty()) {
            List<Outcome> outcomes = new ArrayList<>(finishes.size());
            finishes.forEach(f -> outcomes.add(f.outcome));
            try {
                List<Boolean> accepted = broker.finish(outcomes);
                for (int i = 0; i < finishes.size(); i++) {
                    finishes.get(i).accepted.complete(accepted.get(i));
                }
            } catch (RuntimeException e) {
                finishes.forEach(f -> f.accepted.completeExceptionally(e));
            }
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
