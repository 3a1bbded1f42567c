package io.taskq.internal.events;

import io.taskq.Event;
import io.taskq.TaskEvent;
import io.taskq.TaskListener;
import io.taskq.spi.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this application's task events to the broker's event log in the background: a listener that only
 * offers each event to a bounded buffer (never waiting: a full buffer drops the event and counts it), and one
 * thread that appends what the buffer holds in batches. A failing log costs the batch (counted, logged at most once
 * a minute), never a task's time.
 */
public final class EventPublisher implements TaskListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    /** Most events one append carries. */
    static final int BATCH = 500;
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final EventLog target;
    private final BlockingQueue<Event> buffer;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private long lastLogged;

    /**
     * Starts the publishing thread.
     *
     * @param capacity how many events may wait for the thread before new ones are dropped
     */
    public EventPublisher(EventLog target, int capacity, ThreadFactory threads) {
        this.target = target;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.thread = threads.newThread(this::run);
        thread.setName("taskq-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onEvent(TaskEvent event) {
        publish(TaskEventFields.of(event));
    }

    /** Offers one event; drops it (counted) if the buffer is full or the publisher closed. */
    public void publish(Event event) {
        // Written as JSON here, on the thread that just made its fields: on the publishing thread, reading every
        // event's fields again from memory cost several times as much (profiled), and that thread is one core's work.
        event.toJson();
        if (closing || !buffer.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Events dropped since the start. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<Event> batch = new ArrayList<>(BATCH);
        while (!closing || !buffer.isEmpty()) {
            try {
                Event first = buffer.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                buffer.drainTo(batch, BATCH - 1);
                append(batch);
            } catch (InterruptedException e) {
                if (!closing) {
                    continue;
                }
                buffer.drainTo(batch, BATCH);
                if (!batch.isEmpty()) {
                    append(batch);
                }
                dropped.addAndGet(buffer.size());
                buffer.clear();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void append(List<Event> batch) {
        try {
            target.append(batch);
        } catch (RuntimeException e) {
            dropped.addAndGet(batch.size());
            long now = System.nanoTime();
            if (lastLogged == 0 || now - lastLogged >= LOG_EVERY_NANOS) {
                lastLogged = now;
                log.warn("could not publish {} task event(s) ({} dropped so far); tasks are not affected: {}",
                        batch.size(), dropped.get(), e.toString());
            }
        }
    }

    /**
     * Publishes what the buffer holds, waiting up to {@code grace} for it, then stops; events that come later are
     * dropped.
     */
    public void close(Duration grace) {
        closing = true;
        try {
            thread.join(grace.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(grace.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
