package io.taskq.internal.worker;

import io.taskq.WorkerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which of the worker's queues it claims from, and in what order: the configured queues minus those paused
 * (Celery's {@code cancel_consumer} / {@code add_consumer}), strictly in the configured order or in a random order
 * drawn by weight. A pause stops new claims from the queue; tasks already claimed from it run or stay held.
 */
final class QueueSelection {
    private final WorkerOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Paused queues; guarded by lock, replaced (never changed in place) so that readers need no lock. */
    private volatile Set<String> paused = Set.of();

    QueueSelection(WorkerOptions options) {
        this.options = options;
    }

    /**
     * Stops claiming from {@code queue}.
     *
     * @return false if it was paused already
     * @throws IllegalArgumentException if the worker does not consume {@code queue}
     */
    boolean pause(String queue) {
        return change(queue, true);
    }

    /**
     * Claims from {@code queue} again.
     *
     * @return false if it was not paused
     * @throws IllegalArgumentException if the worker does not consume {@code queue}
     */
    boolean resume(String queue) {
        return change(queue, false);
    }

    private boolean change(String queue, boolean pause) {
        if (!options.queues().contains(queue)) {
            throw new IllegalArgumentException("this worker does not consume queue '" + queue + "' (its queues: "
                    + options.queues() + ")");
        }
        lock.lock();
        try {
            Set<String> next = new TreeSet<>(paused);
            boolean did = pause ? next.add(queue) : next.remove(queue);
            if (did) {
                paused = Set.copyOf(next);
                changed.signalAll();
            }
            return did;
        } finally {
            lock.unlock();
        }
    }

    /** The paused queues. */
    Set<String> paused() {
        return paused;
    }

    /** Whether every queue is paused: nothing to claim. */
    boolean allPaused() {
        return paused.size() == options.queues().size();
    }

    /** Waits up to {@code millis} for a pause or resume (the fetch loop, while every queue is paused). */
    void awaitChange(long millis) throws InterruptedException {
        lock.lock();
        try {
            if (allPaused()) {
                changed.await(millis, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The queues to claim from now, in the order to try them; empty while every queue is paused. */
    List<String> order() {
        Set<String> off = paused;
        List<String> queues = options.queues();
        if (!off.isEmpty()) {
            queues = queues.stream().filter(q -> !off.contains(q)).toList();
        }
        if (options.queueOrder() == WorkerOptions.QueueOrder.STRICT || queues.size() <= 1) {
            return queues;
        }
        List<String> left = new ArrayList<>(queues);
        List<String> order = new ArrayList<>(queues.size());
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (!left.isEmpty()) {
            int total = 0;
            for (String q : left) {
                total += options.weight(q);
            }
            int pick = rnd.nextInt(total);
            for (int i = 0; i < left.size(); i++) {
                pick -= options.weight(left.get(i));
                if (pick < 0) {
                    order.add(left.remove(i));
                    break;
                }
            }
        }
        return order;
    }
}
