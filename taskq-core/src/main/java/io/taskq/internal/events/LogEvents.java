package io.taskq.internal.events;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Events;
import io.taskq.spi.EventLog;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Events} over a broker's {@link EventLog}: pages read directly, subscriptions on a thread each. */
public final class LogEvents implements Events {
    private static final Logger log = LoggerFactory.getLogger(LogEvents.class);
    /** How long one wait of a subscription lasts, so that it notices close() in time. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int SUBSCRIPTION_PAGE = 200;

    private final EventLog source;
    private final LongSupplier dropped;
    private final ThreadFactory threads;

    /**
     * @param dropped counts the events this application could not publish
     * @param threads makes the subscriptions' threads
     */
    public LogEvents(EventLog source, LongSupplier dropped, ThreadFactory threads) {
        this.source = source;
        this.dropped = dropped;
        this.threads = threads;
    }

    @Override
    public EventPage since(String position, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", was " + limit);
        }
        return source.read(position, limit);
    }

    @Override
    public Subscription subscribe(String position, Consumer<Event> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        Follower f = new Follower(position, consumer);
        Thread t = threads.newThread(f);
        t.setName("taskq-events-subscription");
        t.setDaemon(true);
        f.thread = t;
        t.start();
        return f;
    }

    @Override
    public long dropped() {
        return dropped.getAsLong();
    }

    /** One subscription: waits for events after its position and hands them to the consumer in order. */
    private final class Follower implements Runnable, Subscription {
        private final Consumer<Event> consumer;
        /** Guards closed and delivering: close() interrupts a wait, never a consumer's call. */
        private final Object lock = new Object();
        private volatile String position;
        private volatile boolean closed;
        private boolean delivering;
        private volatile Thread thread;

        Follower(String position, Consumer<Event> consumer) {
            this.position = position;
            this.consumer = consumer;
        }

        @Override
        public void run() {
            int failures = 0;
            while (!closed) {
                try {
                    EventPage page = source.await(position, SUBSCRIPTION_PAGE, POLL);
                    failures = 0;
                    for (Event e : page.events()) {
                        if (!deliver(e)) {
                            return;
                        }
                    }
                    position = page.next();
                } catch (InterruptedException e) {
                    return; // closed
                } catch (RuntimeException e) {
                    failures++;
                    if (failures == 1 || failures % 30 == 0) {
                        log.warn("event subscription cannot read the stream ({} failures in a row), retrying: {}",
                                failures, e.toString());
                    }
                    if (!pause(Math.min(5000, 100L << Math.min(failures, 6)))) {
                        return;
                    }
                }
            }
        }

        /** Hands one event to the consumer; false once closed. */
        private boolean deliver(Event e) {
            synchronized (lock) {
                if (closed) {
                    return false;
                }
                delivering = true;
            }
            try {
                consumer.accept(e);
            } catch (RuntimeException ex) {
                log.warn("event consumer {} failed on {}; the next event still comes", consumer, e.type(), ex);
            } finally {
                synchronized (lock) {
                    delivering = false;
                }
            }
            return true;
        }

        private boolean pause(long millis) {
            try {
                Thread.sleep(millis);
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }

        @Override
        public void close() {
            Thread t = thread;
            synchronized (lock) {
                closed = true;
                if (!delivering && t != null) {
                    t.interrupt();
                }
            }
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(POLL.toMillis() * 5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
