package io.taskq.redis.internal;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.KeyValueScoredValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle workers wait here: BZPOPMIN on the queues' marker ZSETs with a bounded timeout, each waiter on a dedicated
 * connection (a blocking command stalls every other command of its connection). The reply only says "look now";
 * it never carries a task, so a reply lost to a timeout or a dropped connection loses nothing. A connection whose
 * command timed out, failed or was interrupted is closed rather than reused, since its reply may still arrive.
 *
 * <p>On a Redis Cluster one BZPOPMIN may only name keys of one slot. Markers are therefore grouped by slot and
 * each group gets its own blocking BZPOPMIN on its own connection, all in flight at once; the caller wakes when
 * any of them pops a marker. The waits still blocking then stay in flight and are picked up by the same thread's
 * next wait (instead of being cut short and re-sent), so an idle worker on G slot groups costs G BZPOPMIN per
 * block period and no polling.
 */
public final class MarkerWait {
    private static final Logger log = LoggerFactory.getLogger(MarkerWait.class);
    /** Client-side grace on top of the server-side block time. */
    public static final long GRACE_MS = 2000;

    private final Connections conns;
    private final BlockingPool pool;
    /** Multi-group waits still in flight, per waiting thread and group. */
    private final Map<Thread, Map<String, InFlight>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final class InFlight {
        final Connections.Blocking conn;
        final CompletableFuture<Object> reply;
        final long giveUpNanos;

        InFlight(Connections.Blocking conn, CompletableFuture<Object> reply, long giveUpNanos) {
            this.conn = conn;
            this.reply = reply;
            this.giveUpNanos = giveUpNanos;
        }
    }

    /** Waits with connections from {@code conns}. */
    public MarkerWait(Connections conns) {
        this.conns = conns;
        this.pool = new BlockingPool(conns, "a marker wait");
    }

    private Connections.Blocking take() throws InterruptedException {
        return pool.take();
    }

    private void giveBack(Connections.Blocking c, boolean reusable) {
        pool.giveBack(c, reusable);
    }

    /** Sends BZPOPMIN with its timeout (block time + grace) in its keyword; completes with null on timeout. */
    private static CompletableFuture<KeyValue<String, ScoredValue<String>>> pop(Connections.Blocking c,
                                                                                double seconds, String[] markers) {
        CommandArgs<String, String> args = new CommandArgs<>(KeyCodec.INSTANCE).addKeys(markers).add(seconds);
        long timeoutMs = (long) Math.ceil(seconds * 1000) + GRACE_MS;
        return c.async().dispatch(new TimedKeyword("BZPOPMIN", timeoutMs),
                new KeyValueScoredValueOutput<>(StringCodec.UTF8), args).toCompletableFuture();
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
        Map<Integer, List<String>> groups = new LinkedHashMap<>();
        for (String m : markers) {
            groups.computeIfAbsent(conns.group(m), g -> new ArrayList<>()).add(m);
        }
        if (groups.size() == 1) {
            awaitOne(markers, waitMs);
        } else {
            awaitMany(groups.values(), waitMs);
        }
    }

    private void awaitOne(String[] markers, long waitMs) throws InterruptedException {
        Connections.Blocking c = take();
        boolean reusable = false;
        try {
            double seconds = Math.max(0.001, waitMs / 1000.0);
            pop(c, seconds, markers).get(waitMs + GRACE_MS, TimeUnit.MILLISECONDS);
            reusable = true;
        } catch (ExecutionException e) {
            log.debug("marker wait failed: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
            throw new IllegalStateException("waiting for work failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            log.warn("marker wait got no reply {} ms past its block time; reopening the connection", GRACE_MS);
        } finally {
            giveBack(c, reusable);
        }
    }

    /**
     * Waits on markers of one slot group (see {@link #await}) with a script queued right behind the blocking pop on
     * the same connection: Redis runs the script the moment the pop returns, whether a marker woke it or its block
     * time ran out, so a woken worker gets its claim's answer without another round trip and thread hand-off.
     *
     * @param behind sends the script on the connection it is given (see {@link Scripts#sendBehindWait})
     * @return the script's reply, or null if the pop got no reply in time (the connection is replaced; the caller
     *     claims as usual)
     * @throws RuntimeException the script's or the connection's failure, as Lettuce reported it
     * @throws InterruptedException if the calling thread is interrupted
     */
    public List<Object> awaitThen(String[] markers, long waitMs,
                                  Function<RedisClusterAsyncCommands<String, String>,
                                          CompletableFuture<List<Object>>> behind) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        Connections.Blocking c = take();
        boolean reusable = false;
        try {
            double seconds = Math.max(0.001, waitMs / 1000.0);
            CompletableFuture<?> pop = pop(c, seconds, markers);
            long popGiveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs + GRACE_MS);
            CompletableFuture<List<Object>> reply = behind.apply(c.async());
            try {
                pop.get(waitMs + GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!endPopAfterInterrupt(pop, markers, popGiveUp)) {
                    return null;
                }
            } catch (TimeoutException e) {
                log.warn("marker wait got no reply {} ms past its block time; reopening the connection", GRACE_MS);
                return null;
            } catch (ExecutionException e) {
                // The script behind it fails the same way (same connection); its error is the one to report.
            }
            try {
                // The script has run or is about to: its reply is awaited even by an interrupted caller (the
                // interrupt is kept), which hands back what it claimed rather than leave it leased to nobody.
                List<Object> r = getUninterruptibly(reply,
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS));
                reusable = true;
                return r;
            } catch (TimeoutException e) {
                log.warn("script behind a marker wait got no reply {} ms after the wait; reopening the connection",
                        GRACE_MS);
                return null;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                // A server-side refusal leaves the connection usable; anything else may not have.
                reusable = cause instanceof io.lettuce.core.RedisCommandExecutionException;
                throw cause instanceof RuntimeException re ? re
                        : new IllegalStateException("waiting for work failed: " + cause, cause);
            }
        } finally {
            giveBack(c, reusable);
        }
    }

    /**
     * The caller stops (a worker closing, or a wait woken to ask again). Closing the connection now would make Redis
     * drop the script if the pop still blocks there, but a pop that work woke in the last moments has let the script
     * run already, and its reply would be lost with the connection: what it claimed would stay leased to nobody for
     * a whole lease. So the pop is woken instead (a marker member, as an enqueue sets; another consumer woken by it
     * claims nothing) and its end awaited; the caller then takes the script's reply and hands back what it got. The
     * interrupt is kept.
     *
     * @return false if the pop got no reply in time (the connection is replaced)
     */
    private boolean endPopAfterInterrupt(CompletableFuture<?> pop, String[] markers, long popGiveUp) {
        Thread.currentThread().interrupt();
        if (!pop.isDone()) {
            wake(markers);
        }
        try {
            getUninterruptibly(pop, popGiveUp);
        } catch (TimeoutException te) {
            log.warn("marker wait got no reply {} ms past its block time; reopening the connection", GRACE_MS);
            return false;
        } catch (ExecutionException ee) {
            // The script behind it fails the same way (same connection); its error is the one to report.
        }
        return true;
    }

    /** Sets a wake-up member on each marker, without waiting (a lost one only leaves the wait to its timeout). */
    private void wake(String[] markers) {
        for (String m : markers) {
            try {
                conns.async().zadd(m, 0, "0");
            } catch (RuntimeException e) {
                log.debug("could not wake a marker wait: {}", e.toString());
            }
        }
    }

    /** The future's value, waiting until {@code endNanos} even if interrupted meanwhile (the interrupt is kept). */
    private static <T> T getUninterruptibly(CompletableFuture<T> f, long endNanos)
            throws ExecutionException, TimeoutException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return f.get(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void awaitMany(java.util.Collection<List<String>> groups, long waitMs) throws InterruptedException {
        Thread me = Thread.currentThread();
        Map<String, InFlight> mine = inFlight.computeIfAbsent(me, t -> new ConcurrentHashMap<>());
        forgetDeadThreads();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            long now = System.nanoTime();
            // 1. Harvest replies: a popped marker is a wake-up; an empty reply (block time over) or an error
            //    frees the group for a new wait; a reply overdue past the grace closes the connection.
            boolean woken = harvest(groups, mine, now);
            long leftMs = TimeUnit.NANOSECONDS.toMillis(end - now);
            if (woken || leftMs <= 0 || closed) {
                return;
            }
            // 2. Every group without a wait in flight gets one.
            for (List<String> g : groups) {
                String k = String.join(" ", g);
                if (!mine.containsKey(k)) {
                    Connections.Blocking c = take();
                    CompletableFuture<Object> reply = (CompletableFuture) pop(c, Math.max(0.001, leftMs / 1000.0),
                            g.toArray(new String[0]));
                    mine.put(k, new InFlight(c, reply, now + TimeUnit.MILLISECONDS.toNanos(leftMs + GRACE_MS)));
                }
            }
            // 3. Wait for the first reply of any group, or the end of this wait.
            CompletableFuture<?>[] all = mine.values().stream().map(f -> f.reply).toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.anyOf(all).get(leftMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // harvested in the next round
            } catch (TimeoutException e) {
                return;
            }
        }
    }

    /**
     * Takes the replies of this thread's waits that came (see {@link #awaitMany}, step 1).
     *
     * @return whether a marker woke one
     * @throws IllegalStateException if a wait failed
     */
    private boolean harvest(java.util.Collection<List<String>> groups, Map<String, InFlight> mine, long now) {
        boolean woken = false;
        RuntimeException failure = null;
        for (List<String> g : groups) {
            String k = String.join(" ", g);
            InFlight f = mine.get(k);
            if (f == null) {
                continue;
            }
            if (f.reply.isDone()) {
                mine.remove(k);
                try {
                    Object v = f.reply.getNow(null);
                    giveBack(f.conn, true);
                    if (v != null) {
                        woken = true;
                    }
                } catch (RuntimeException e) {
                    giveBack(f.conn, false);
                    failure = new IllegalStateException("waiting for work failed: " + e.getCause(), e);
                }
            } else if (now - f.giveUpNanos > 0) {
                mine.remove(k);
                giveBack(f.conn, false);
                log.warn("marker wait got no reply {} ms past its block time; reopening the connection", GRACE_MS);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return woken;
    }

    private void forgetDeadThreads() {
        if (inFlight.size() < 2) {
            return;
        }
        inFlight.entrySet().removeIf(e -> {
            if (e.getKey().isAlive()) {
                return false;
            }
            e.getValue().values().forEach(f -> f.conn.closeAsync());
            return true;
        });
    }

    /** Closes the idle connections and the waits in flight; waiters in progress close theirs when they return. */
    public void close() {
        closed = true;
        pool.close();
        inFlight.values().forEach(m -> m.values().forEach(f -> f.conn.closeAsync()));
        inFlight.clear();
    }
}
