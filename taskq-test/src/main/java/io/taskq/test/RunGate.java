package io.taskq.test;

import io.taskq.TaskState;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The broker as {@link TestTaskq}'s worker sees it: claims pass only while a run is open, and never wait for a task
 * to come due (the clock stands still), so that an empty claim while nothing is in flight means that nothing is due:
 * the run is over. It records every outcome the broker accepted, in order.
 */
final class RunGate extends ForwardingBroker {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Claimed and not finished yet (queue and id). */
    private final Set<String> inFlight = new HashSet<>();
    private final List<RanTask> ran = new ArrayList<>();
    private final int maxTasks;
    private int claiming;
    private boolean open;
    private boolean overflow;

    RunGate(Broker delegate, int maxTasks) {
        super(delegate);
        this.maxTasks = maxTasks;
    }

    /** Opens a run: claims pass until nothing is due. */
    void open() {
        lock.lock();
        try {
            ran.clear();
            overflow = false;
            open = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the open run is over, and returns what ran.
     *
     * @throws IllegalStateException if the run stopped at {@code maxTasks} tasks
     */
    List<RanTask> awaitEnd() throws InterruptedException {
        lock.lock();
        try {
            while (open) {
                changed.await();
            }
            if (overflow) {
                throw new IllegalStateException("runDue stopped after " + maxTasks + " tasks: do the tasks submit"
                        + " each other without end?");
            }
            return List.copyOf(ran);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (!open) {
                // Between runs (or once this one is over) a worker gets nothing; its close() interrupts the wait.
                changed.await(request.maxWait().toNanos(), TimeUnit.NANOSECONDS);
                return List.of();
            }
            claiming++;
        } finally {
            lock.unlock();
        }
        List<Delivery> claimed;
        try {
            claimed = super.claim(new ClaimRequest(request.consumerId(), request.queues(), request.max(),
                    request.lease(), Duration.ZERO, request.startNow()));
        } catch (InterruptedException | RuntimeException e) {
            lock.lock();
            try {
                claiming--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            claiming--;
            settle(List.of(), claimed, true);
            if (claimed.isEmpty() && open) {
                // Something is in flight on another slot: wait for it to finish rather than spin.
                changed.await(request.maxWait().toNanos(), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
        return claimed;
    }

    @Override
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        boolean claims;
        lock.lock();
        try {
            claims = next != null && open;
        } finally {
            lock.unlock();
        }
        FinishAndClaim r = super.finishAndClaim(started, startedAt, outcomes, claims ? next : null);
        lock.lock();
        try {
            settle(accepted(outcomes, r.accepted()), r.claimed(), claims);
        } finally {
            lock.unlock();
        }
        return r;
    }

    @Override
    public List<Boolean> finish(List<Outcome> outcomes) {
        List<Boolean> accepted = super.finish(outcomes);
        lock.lock();
        try {
            settle(accepted(outcomes, accepted), List.of(), false);
        } finally {
            lock.unlock();
        }
        return accepted;
    }

    @Override
    public void release(List<Delivery> deliveries) {
        super.release(deliveries);
        lock.lock();
        try {
            deliveries.forEach(d -> inFlight.remove(key(d)));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static List<Outcome> accepted(List<Outcome> outcomes, List<Boolean> accepted) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (accepted.get(i)) {
                out.add(outcomes.get(i));
            }
        }
        return out;
    }

    /**
     * Books finished and claimed tasks (lock held) and ends the run when a claim found nothing due while nothing is
     * in flight, or when the run reached {@code maxTasks}.
     *
     * @param claimed   what a claim returned
     * @param didClaim  whether a claim was made (an empty one is then the sign that nothing is due)
     */
    private void settle(List<Outcome> finished, List<Delivery> claimed, boolean didClaim) {
        for (Outcome o : finished) {
            Delivery d = o.delivery();
            inFlight.remove(key(d));
            TaskState state = o.record() != null ? o.record().state() : TaskState.SUCCESS;
            ran.add(new RanTask(d.id(), d.queue(), o.record() != null ? o.record().task() : d.task(), state,
                    d.attempt(), o.record() != null ? o.record().error() : null));
        }
        claimed.forEach(d -> inFlight.add(key(d)));
        if (open && ran.size() >= maxTasks) {
            overflow = true;
            open = false;
        } else if (open && didClaim && claimed.isEmpty() && inFlight.isEmpty() && claiming == 0) {
            open = false;
        }
        changed.signalAll();
    }

    private static String key(Delivery d) {
        return d.queue() + "\u0000" + d.id();
    }
}
