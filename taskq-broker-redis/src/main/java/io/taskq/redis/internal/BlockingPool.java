package io.taskq.redis.internal;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Dedicated connections for blocking commands (the marker waits' BZPOPMIN, the event subscriptions' XREAD BLOCK):
 * a blocking command stalls every other command of its connection, so each waiter takes one of its own and gives it
 * back when its reply came. One whose command timed out, failed on the wire or was interrupted is closed rather than
 * given back, since its reply may still arrive.
 */
public final class BlockingPool {
    private final Connections conns;
    private final String what;
    private final ConcurrentLinkedDeque<Connections.Blocking> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * Connections from {@code conns}.
     *
     * @param what the waits they serve, for the message of an interrupted connect
     */
    public BlockingPool(Connections conns, String what) {
        this.conns = conns;
        this.what = what;
    }

    /** An idle open connection, or a new one. */
    public Connections.Blocking take() throws InterruptedException {
        Connections.Blocking c = idle.pollFirst();
        while (c != null && !c.isOpen()) {
            c.closeAsync();
            c = idle.pollFirst();
        }
        if (c != null) {
            return c;
        }
        try {
            return conns.blocking();
        } catch (RuntimeException e) {
            // Lettuce reports an interrupted connect as a connection failure (with the interrupt flag set again);
            // a stopping waiter is interrupted on purpose, which is no broker failure to warn about.
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while connecting for " + what);
            }
            throw e;
        }
    }

    /** Gives a connection back for the next wait, or closes it if it may still get a reply or the pool closed. */
    public void giveBack(Connections.Blocking c, boolean reusable) {
        if (reusable && !closed) {
            idle.addFirst(c);
        } else {
            c.closeAsync();
        }
    }

    /** Closes the idle connections; those in use are closed when given back. */
    public void close() {
        closed = true;
        Connections.Blocking c;
        while ((c = idle.pollFirst()) != null) {
            c.closeAsync();
        }
    }
}
