package io.taskq.internal;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.spi.EventLog;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory broker's event stream: the newest {@code maxLength} events, positioned by a sequence number
 * (decimal text). Its own lock, so that reading events never waits on the queues' lock.
 */
final class InMemoryEventLog implements EventLog {
    private final int maxLength;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    /** Guarded by lock; oldest first. */
    private final ArrayDeque<Event> kept = new ArrayDeque<>();
    /** Guarded by lock: the sequence number of the newest event appended (0: none yet). */
    private long newest;

    InMemoryEventLog(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("the event stream must keep at least one event");
        }
        this.maxLength = maxLength;
    }

    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (Event e : events) {
                kept.addLast(e.at(Long.toString(++newest)));
                if (kept.size() > maxLength) {
                    kept.removeFirst();
                }
            }
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public EventPage read(String after, int limit) {
        long from = after == null ? 0 : parse(after);
        lock.lock();
        try {
            return page(from, after, limit);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public EventPage await(String after, int limit, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            long from = after == null ? newest : parse(after);
            String pos = after == null ? Long.toString(newest) : after;
            while (newest <= from) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new EventPage(List.of(), pos);
                }
                appended.awaitNanos(left);
            }
            return page(from, pos, limit);
        } finally {
            lock.unlock();
        }
    }

    /** Events with a sequence number above {@code from}; the caller holds the lock. */
    private EventPage page(long from, String asked, int limit) {
        List<Event> out = new ArrayList<>(Math.min(limit, kept.size()));
        Iterator<Event> it = kept.iterator();
        while (it.hasNext() && out.size() < limit) {
            Event e = it.next();
            if (Long.parseLong(e.position()) > from) {
                out.add(e);
            }
        }
        return new EventPage(out, out.isEmpty() ? asked : out.get(out.size() - 1).position());
    }

    private static long parse(String position) {
        try {
            long p = Long.parseLong(position);
            if (p >= 0) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a position of the in-memory event stream: " + position);
    }
}
