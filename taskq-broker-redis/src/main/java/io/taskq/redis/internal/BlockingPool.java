package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * Runs one blocking command ({@code XREAD BLOCK}, {@code BLPOP}) on a connection of this pool, with a client-side
     * timeout of its block time plus {@link MarkerWait#GRACE_MS}, as the marker waits have.
     *
     * @param blockMs the block time the command asks Redis for
     * @return the reply; null if Redis's reply was null or did not come within the timeout
     * @throws InterruptedException if the calling thread is interrupted (the connection is closed, not reused)
     * @throws RuntimeException     the command's failure
     */
    public <T> T run(String command, long blockMs, CommandOutput<String, String, T> output,
                     CommandArgs<String, String> args) throws InterruptedException {
        Connections.Blocking c = take();
        boolean reusable = false;
        try {
            long timeoutMs = blockMs + MarkerWait.GRACE_MS;
            T reply = c.async().dispatch(new TimedKeyword(command, timeoutMs), output, args).toCompletableFuture()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            reusable = true;
            return reply;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // A refusal (NOPERM, WRONGTYPE) leaves the connection usable; anything else may not have.
            reusable = cause instanceof RedisCommandExecutionException;
            throw cause instanceof RuntimeException re ? re
                    : new IllegalStateException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            return null;
        } finally {
            giveBack(c, reusable);
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
