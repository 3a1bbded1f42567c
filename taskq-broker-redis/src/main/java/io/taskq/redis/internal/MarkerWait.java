package io.taskq.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle workers wait here: BZPOPMIN on the queues' marker ZSETs with a bounded timeout, each waiter on a dedicated
 * connection (a blocking command stalls every other command of its connection). The reply only says "look now";
 * it never carries a task, so a reply lost to a timeout or a dropped connection loses nothing. A connection whose
 * command timed out, failed or was interrupted is closed rather than reused, since its reply may still arrive.
 */
public final class MarkerWait {
    private static final Logger log = LoggerFactory.getLogger(MarkerWait.class);
    /** Client-side grace on top of the server-side block time. */
    public static final long GRACE_MS = 2000;

    private final RedisClient client;
    private final ConcurrentLinkedDeque<StatefulRedisConnection<String, String>> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** Waits with connections of this client. */
    public MarkerWait(RedisClient client) {
        this.client = client;
    }

    /**
     * Blocks until a marker is popped or {@code waitMs} passes.
     *
     * @throws InterruptedException if the calling thread is interrupted
     */
    public void await(String[] markers, long waitMs) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        StatefulRedisConnection<String, String> c = idle.pollFirst();
        if (c == null || !c.isOpen()) {
            c = client.connect(StringCodec.UTF8);
        }
        boolean reusable = false;
        try {
            double seconds = Math.max(0.001, waitMs / 1000.0);
            c.async().bzpopmin(seconds, markers).get(waitMs + GRACE_MS, TimeUnit.MILLISECONDS);
            reusable = true;
        } catch (ExecutionException e) {
            log.debug("marker wait failed: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
            throw new IllegalStateException("waiting for work failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            log.warn("marker wait got no reply {} ms past its block time; reopening the connection", GRACE_MS);
        } finally {
            if (reusable && !closed) {
                idle.addFirst(c);
            } else {
                c.closeAsync();
            }
        }
    }

    /** Closes the idle connections; waiters in progress close theirs when they return. */
    public void close() {
        closed = true;
        StatefulRedisConnection<String, String> c;
        while ((c = idle.pollFirst()) != null) {
            c.closeAsync();
        }
    }
}
