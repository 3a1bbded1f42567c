package io.taskq.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pub/sub subscription to one channel that does not silently go deaf. Pub/sub loses whatever is published
 * while a subscriber is not listening, so the owner is told to "look again" (re-read the state the notifications
 * are about) whenever listening may have had a gap: after Lettuce re-subscribed on a reconnect, and after this
 * class replaced the connection. The owner calls {@link #check()} about once a second; it replaces the connection
 * when it has been down for 3 checks (a Cluster node that died for good: Lettuce would keep reconnecting to its
 * address) or when it looks connected but a PING gets no answer within the command timeout (a network path that
 * drops packets without a reset: TCP would wait ~15 min, and a subscriber never sends anything by itself).
 */
public final class WatchedSubscription {
    private static final Logger log = LoggerFactory.getLogger(WatchedSubscription.class);
    private static final int DOWN_CHECKS = 3;

    private final Connections conns;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable lookAgain;
    private final String what;
    private StatefulRedisPubSubConnection<String, String> connection;
    private CompletableFuture<String> ping;
    private int downChecks;
    /** Volatile, not guarded: Lettuce's I/O threads read it and must never wait for this object's lock. */
    private volatile boolean closed;
    /** Since when (System.nanoTime) messages have been received without a gap; Long.MAX_VALUE when not listening. */
    private volatile long listeningSince = Long.MAX_VALUE;

    /**
     * @param conns     opens and closes the pub/sub connection
     * @param channel   the channel
     * @param onMessage called with each message, on a Lettuce I/O thread (must not block)
     * @param lookAgain called when messages may have been missed, on a Lettuce I/O thread or the thread calling
     *                  {@link #check()} (must not block)
     * @param what      names the subscription in logs
     */
    public WatchedSubscription(Connections conns, String channel, Consumer<String> onMessage, Runnable lookAgain,
                               String what) {
        this.conns = conns;
        this.channel = channel;
        this.onMessage = onMessage;
        this.lookAgain = lookAgain;
        this.what = what;
    }

    /**
     * Subscribes unless already subscribed; returns once the subscription is active, so that whatever is published
     * from then on is received.
     *
     * @throws IllegalStateException when closed
     * @throws RuntimeException      when Redis cannot be reached
     */
    public synchronized void open() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        if (connection != null) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> c = conns.pubSub();
        AtomicInteger subscriptions = new AtomicInteger();
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                onMessage.accept(message);
            }

            @Override
            public void subscribed(String ch, long count) {
                // Every subscription after the first is Lettuce re-subscribing after a reconnect.
                if (subscriptions.incrementAndGet() > 1) {
                    log.info("{} re-subscribed after a reconnect", what);
                    listeningSince = System.nanoTime();
                    lookAgain.run();
                }
            }
        });
        c.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                listeningSince = Long.MAX_VALUE;
                if (!closed) {
                    log.info("{} connection lost; reconnecting", what);
                }
            }
        });
        try {
            c.sync().subscribe(channel);
        } catch (RuntimeException e) {
            conns.closeAsync(c);
            throw e;
        }
        connection = c;
        downChecks = 0;
        ping = null;
        listeningSince = System.nanoTime();
    }

    /**
     * Since when (System.nanoTime) every message published has been received: the latest (re)subscription, or
     * {@link Long#MAX_VALUE} while not subscribed or possibly deaf. A connection that went silent without a reset
     * counts as listening until the watchdog replaces it; whoever relies on this must also re-read what the
     * look-again call announces.
     */
    public long listeningSince() {
        return listeningSince;
    }

    /** The watchdog step; call about once a second from a thread that may block briefly. */
    public void check() {
        StatefulRedisPubSubConnection<String, String> stale;
        synchronized (this) {
            stale = connection;
            if (closed || stale == null) {
                return;
            }
            if (!stale.isOpen()) {
                ping = null;
                if (++downChecks < DOWN_CHECKS) {
                    return;
                }
                log.warn("{} connection down for {} s; opening a new one", what, DOWN_CHECKS);
            } else {
                downChecks = 0;
                CompletableFuture<String> p = ping;
                if (p != null && p.isDone()) {
                    String refused = Connections.refusal(p);
                    if (refused != null) {
                        Connections.warnRefusedOnce(refused, "subscription");
                    }
                }
                if (p == null || (p.isDone() && !timedOut(p))) {
                    // Redis answers PING on a subscribed connection (as a pub/sub message on RESP2).
                    ping = stale.async().ping().toCompletableFuture();
                    return;
                }
                if (!p.isDone()) {
                    return; // still within the command timeout
                }
                log.warn("{} connection answered no PING within the command timeout although connected (network"
                        + " drop without a reset?); opening a new one", what);
            }
            connection = null;
            ping = null;
            downChecks = 0;
            listeningSince = Long.MAX_VALUE;
        }
        conns.closeAsync(stale);
        try {
            open();
            lookAgain.run();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (connection == null && !closed) {
                    connection = stale; // closed now: counts as down, so the next checks try again
                }
            }
            log.warn("{}: could not open a new connection, will retry: {}", what, e.toString());
        }
    }

    private static boolean timedOut(CompletableFuture<?> f) {
        try {
            f.join();
            return false;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() instanceof RedisCommandTimeoutException;
        }
    }

    /** Closes the subscription; {@link #open()} fails from now on. */
    public void close() {
        StatefulRedisPubSubConnection<String, String> c;
        synchronized (this) {
            closed = true;
            c = connection;
            connection = null;
            listeningSince = Long.MAX_VALUE;
        }
        if (c != null) {
            conns.closeAsync(c);
        }
    }
}
