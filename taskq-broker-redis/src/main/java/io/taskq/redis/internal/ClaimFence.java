package io.taskq.redis.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence of a claim sent ahead behind a marker wait (see {@link MarkerWait#awaitThen}): the time by which its
 * sender still reads the reply. Such a claim runs whenever the blocking pop ahead of it returns, which may be long
 * after the sender gave up on the connection: a stalled network that delivers the bytes late, or a wait that
 * outlived its client's patience. A claim running then would lease tasks to nobody, and they would wait a whole
 * lease before running elsewhere; claim.lua therefore claims nothing past the fence (judged by Redis's clock).
 *
 * <p>The sender waits for the pop for its block time plus {@link MarkerWait#GRACE_MS} and then for the claim's
 * reply; the fence is the block time plus {@link #MARGIN_MS} after sending, so a claim that ran before it had its
 * reply on the way at least {@code GRACE_MS - MARGIN_MS} before the sender stops waiting for the pop (room for the
 * network and for the difference between the app host's clock and Redis's).
 */
public final class ClaimFence {
    private static final Logger log = LoggerFactory.getLogger(ClaimFence.class);
    /** Past the block time, how long a claim sent ahead may still claim. */
    public static final long MARGIN_MS = 1000;
    /** The claim script's wake-up value for a claim that ran past its fence (it claimed nothing). */
    private static final long FENCED = -3;

    private final AtomicBoolean skewWarned = new AtomicBoolean();

    /** The fence of a claim sent at {@code nowMs} (the sender's clock) behind a wait of {@code waitMs}. */
    public static long of(long nowMs, long waitMs) {
        return nowMs + waitMs + MARGIN_MS;
    }

    /**
     * Whether a claim's reply says it ran past its fence. Such a reply that arrives before the fence by this
     * host's clock means Redis's clock runs ahead of it by more than the margin: claims sent ahead then fall back
     * to an ordinary claim whenever they run late in their wait, which costs a round trip; warned once.
     */
    public boolean fenced(List<Object> reply, long fence) {
        if (reply.size() != 2 || !Long.valueOf(FENCED).equals(reply.get(1))) {
            return false;
        }
        if (System.currentTimeMillis() < fence && skewWarned.compareAndSet(false, true)) {
            log.warn("a claim sent ahead of a marker wait ran past its fence although its reply came in time: Redis's"
                    + " clock seems to be ahead of this host's by more than {} ms (check NTP)", MARGIN_MS);
        }
        log.debug("a claim sent ahead ran past its fence and claimed nothing; claiming again");
        return true;
    }
}
