package io.taskq.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Group commit for calls that many task threads make at once (finish, markStarted): the first caller flushes
 * everything queued in one Redis round trip while later callers wait for it, so a busy worker pays one script
 * call per batch instead of one per task, and an idle one pays no extra latency (a lone caller flushes at once).
 *
 * @param <T> item type
 * @param <R> per-item result type
 */
public final class Coalescer<T, R> {
    private final Function<List<T>, List<R>> flush;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();

    private static final class Pending<T, R> {
        final List<T> items;
        final Thread thread = Thread.currentThread();
        volatile List<R> results;
        volatile RuntimeException error;
        volatile boolean done;

        Pending(List<T> items) {
            this.items = items;
        }
    }

    /**
     * @param flush    handles one batch; returns one result per item, in order
     * @param maxBatch most items per flush
     */
    public Coalescer(Function<List<T>, List<R>> flush, int maxBatch) {
        this.flush = flush;
        this.maxBatch = maxBatch;
    }

    /** Submits items and waits for their results (in order). */
    public List<R> submit(List<T> items) {
        Pending<T, R> p = new Pending<>(items);
        queue.add(p);
        boolean interrupted = false;
        while (!p.done) {
            if (flushing.compareAndSet(false, true)) {
                try {
                    flushOnce();
                } finally {
                    flushing.set(false);
                }
                // Whoever waits next takes over as leader.
                Pending<T, R> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.thread);
                }
            } else {
                LockSupport.parkNanos(this, 1_000_000L);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (p.error != null) {
            throw p.error;
        }
        return p.results;
    }

    private void flushOnce() {
        List<Pending<T, R>> batch = new ArrayList<>();
        List<T> items = new ArrayList<>();
        Pending<T, R> p;
        while ((items.isEmpty() || items.size() + peekSize() <= maxBatch) && (p = queue.poll()) != null) {
            batch.add(p);
            items.addAll(p.items);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<R> results = flush.apply(items);
            int i = 0;
            for (Pending<T, R> b : batch) {
                b.results = new ArrayList<>(results.subList(i, i + b.items.size()));
                i += b.items.size();
            }
        } catch (RuntimeException e) {
            for (Pending<T, R> b : batch) {
                b.error = e;
            }
        } finally {
            for (Pending<T, R> b : batch) {
                b.done = true;
                LockSupport.unpark(b.thread);
            }
        }
    }

    private int peekSize() {
        Pending<T, R> p = queue.peek();
        return p == null ? 0 : p.items.size();
    }
}
