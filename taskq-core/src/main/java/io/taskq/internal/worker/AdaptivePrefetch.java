package io.taskq.internal.worker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decides, for a worker with adaptive prefetch, whether it may hold tasks beyond its free slots, and grows or
 * shrinks its claim budget to match.
 *
 * <p>Holding a task saves the broker round trip between two tasks on a slot, which matters only when a task is
 * about as short as that round trip; it costs a held task waiting behind its own worker's tasks, which hurts when
 * those are long. So the worker holds tasks only while the moving average of its tasks' run times is short, and a
 * held task that waits too long (every slot taken by tasks much longer than the average) ends holding until tasks
 * are short again. The thresholds have a gap between them so that a run time near one does not flip the budget on
 * every task.
 */
final class AdaptivePrefetch {
    /** Holding starts when the average run time falls below this. */
    static final long SHORT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Holding ends when the average run time rises above this. */
    static final long LONG_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** A held task that has waited this long for a slot ends holding (and goes back to the broker). */
    static final long HELD_TOO_LONG_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The claim budget of a worker: its permits can be taken back while tasks hold them. */
    static final class Budget extends Semaphore {
        Budget(int permits) {
            super(permits);
        }

        void shrink(int n) {
            reducePermits(n);
        }

        /**
         * Takes every permit available now; 0 if none (or fewer than none, after a shrink). Unlike
         * {@link #drainPermits()}, it never sets a budget below zero back to zero.
         */
        int takeAll() {
            while (true) {
                int p = availablePermits();
                if (p <= 0) {
                    return 0;
                }
                if (tryAcquire(p)) {
                    return p;
                }
            }
        }
    }

    private final Budget budget;
    private final int extra;
    private final AtomicBoolean holding = new AtomicBoolean();
    // Updated without a lock by every task thread: a lost update only makes the average a little staler.
    private volatile long averageNanos = LONG_NANOS;

    /**
     * @param budget the worker's claim budget, sized for its slots alone
     * @param extra  how many tasks it may hold while tasks are short
     */
    AdaptivePrefetch(Budget budget, int extra) {
        this.budget = budget;
        this.extra = extra;
    }

    /** A task ran for {@code nanos} (moving average over about the last 8 tasks). */
    void ran(long nanos) {
        long avg = averageNanos;
        avg += (nanos - avg) / 8;
        averageNanos = avg;
        if (avg < SHORT_NANOS) {
            if (holding.compareAndSet(false, true)) {
                budget.release(extra);
            }
        } else if (avg > LONG_NANOS) {
            stopHolding();
        }
    }

    /**
     * A held task waited {@code nanos} for a slot: the tasks ahead of it are long, whatever the average says, so
     * holding stops until enough short tasks bring the average down again.
     */
    void heldTooLong(long nanos) {
        averageNanos = Math.max(averageNanos, nanos);
        stopHolding();
    }

    private void stopHolding() {
        if (holding.compareAndSet(true, false)) {
            budget.shrink(extra);
        }
    }

    /** Whether the worker may hold tasks now. */
    boolean holding() {
        return holding.get();
    }
}
