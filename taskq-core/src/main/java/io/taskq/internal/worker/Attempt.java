package io.taskq.internal.worker;

import io.taskq.internal.Envelope;
import io.taskq.internal.TaskDefinition;
import io.taskq.spi.Delivery;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One claim of one task on this worker, from claim to outcome.
 *
 * <p>Exactly one party settles an attempt ({@link #settle()}): the task thread when the method returns, the timer
 * when the attempt is abandoned (time limit ignored, lease lost, revoked and not stopping), or the shutdown when it
 * hands the task back. Whoever settles frees the slot.
 */
final class Attempt {
    final Delivery delivery;
    /** What the task events of this attempt remember. */
    final AttemptTrace trace = new AttemptTrace();
    final AtomicBoolean settled = new AtomicBoolean();
    volatile Thread thread;
    volatile Envelope envelope;
    volatile TaskDefinition definition;
    volatile boolean timedOut;
    /** Set when its soft time limit passed (the thread was interrupted once, the task may still return). */
    volatile boolean softTimedOut;
    volatile boolean leaseLost;
    volatile String revokedReason;
    volatile boolean abandonedThread;
    volatile ScheduledFuture<?> limitTimer;
    volatile ScheduledFuture<?> softLimitTimer;
    /** When it was put among the held tasks ({@link Ticker#read()}); guarded by the lock of {@link Slots}. */
    long heldSince;
    /** When the method was about to be called (the clock), for remote-control listings; null until then. */
    volatile java.time.Instant startedAt;
    /** {@link Ticker#read()} at the same moment. */
    volatile long startedTick;
    /** Set when the task thread has left this attempt (returned, threw, or reacted to its interrupt). */
    volatile boolean exited;

    Attempt(Delivery delivery) {
        this.delivery = delivery;
    }

    /** True for the one caller that gets to decide this attempt's outcome. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    /** The task's id. */
    String id() {
        return delivery.id();
    }
}
