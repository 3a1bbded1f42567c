package io.taskq.internal;

import io.taskq.TaskEvent;
import io.taskq.TaskListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a {@link TaskListener} so that it cannot disturb the worker or the submit that told it: what it throws is
 * logged, the first time at once and then at most once a minute with the number of failures in between (a listener
 * failing on every event must not flood the log).
 */
public final class GuardedListener {
    private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final TaskListener delegate;
    private final AtomicLong unlogged = new AtomicLong();
    /** System.nanoTime() of the last logged failure; 0 before the first. */
    private final AtomicLong lastLogged = new AtomicLong();

    /** Guards {@code delegate}. */
    public GuardedListener(TaskListener delegate) {
        this.delegate = delegate;
    }

    /** Tells the listener, never throwing. */
    public void onEvent(TaskEvent event) {
        try {
            delegate.onEvent(event);
        } catch (Throwable t) { // like Caffeine's GuardedStatsCounter: nothing a listener does may reach the worker
            failed(event, t);
        }
    }

    private void failed(TaskEvent event, Throwable t) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if ((last == 0 || now - last >= LOG_EVERY_NANOS) && lastLogged.compareAndSet(last, now)) {
            long more = unlogged.getAndSet(0);
            log.warn("task listener {} failed on {} of task {}{}; the task goes on", delegate, event.kind(),
                    event.taskId(), more == 0 ? "" : " (and " + more + " times since the last report)", t);
        } else {
            unlogged.incrementAndGet();
        }
    }
}
