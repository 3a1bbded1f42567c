package io.taskq.internal;

import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory broker's control bus: the taskqs of this JVM that share the broker. Each listener has a queue of
 * its own and a daemon thread that hands it the commands in order; replies wait in a queue per command until taken
 * or until their time to live passes (expired ones are dropped on the next reply).
 */
final class InMemoryControlBus implements ControlBus {
    private static final Logger log = LoggerFactory.getLogger(InMemoryControlBus.class);

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Replies> replies = new ConcurrentHashMap<>();

    private static final class Replies {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        /** System.nanoTime() after which nobody waits for them any more (extended by each reply and wait). */
        volatile long expiresAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    }

    @Override
    public void send(ControlCommand command) {
        if (command.arguments().length() > MAX_ARGUMENTS_CHARS) {
            throw new IllegalArgumentException("control command arguments of " + command.arguments().length()
                    + " characters exceed " + MAX_ARGUMENTS_CHARS);
        }
        for (Listener l : listeners) {
            l.commands.add(command);
        }
    }

    @Override
    public Subscription listen(Consumer<ControlCommand> handler) {
        Listener l = new Listener(handler);
        listeners.add(l);
        l.thread.start();
        return l;
    }

    @Override
    public void reply(String commandId, String reply, Duration ttl) {
        if (reply.length() > MAX_REPLY_CHARS) {
            throw new IllegalArgumentException("control reply of " + reply.length() + " characters exceeds "
                    + MAX_REPLY_CHARS);
        }
        long now = System.nanoTime();
        replies.values().removeIf(r -> r.expiresAt - now < 0);
        Replies r = replies.computeIfAbsent(commandId, id -> new Replies());
        long keep = now + ttl.toNanos();
        if (r.expiresAt - keep < 0) {
            r.expiresAt = keep;
        }
        r.queue.add(reply);
    }

    @Override
    public String awaitReply(String commandId, Duration maxWait) throws InterruptedException {
        long wait = Math.max(0, maxWait.toNanos());
        Replies r = replies.computeIfAbsent(commandId, id -> new Replies());
        // Kept at least while this waits (a reply sent meanwhile must land in this queue, not a new one).
        long keep = System.nanoTime() + wait + TimeUnit.SECONDS.toNanos(10);
        if (r.expiresAt - keep < 0) {
            r.expiresAt = keep;
        }
        return r.queue.poll(wait, TimeUnit.NANOSECONDS);
    }

    /** Stops every listener (the broker closes). */
    void close() {
        for (Listener l : listeners) {
            l.close();
        }
    }

    private final class Listener implements Subscription, Runnable {
        final BlockingQueue<ControlCommand> commands = new LinkedBlockingQueue<>();
        final Consumer<ControlCommand> handler;
        final Thread thread;
        volatile boolean closed;

        Listener(Consumer<ControlCommand> handler) {
            this.handler = handler;
            this.thread = new Thread(this, "taskq-control-memory");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!closed) {
                ControlCommand c;
                try {
                    c = commands.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    handler.accept(c);
                } catch (RuntimeException e) {
                    log.warn("control command {} ({}) failed: {}", c.id(), c.name(), e.toString());
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            listeners.remove(this);
            thread.interrupt();
        }
    }
}
