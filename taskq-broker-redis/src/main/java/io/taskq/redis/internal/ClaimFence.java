package io.taskq.redis.internal;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fences of claims: the time by which a claim's sender still reads its reply. A claim may run long after it was
 * sent: one sent ahead behind a marker wait runs whenever the blocking pop ahead of it returns, and any claim held
 * up by a stalled network or server runs when the bytes arrive, after its sender gave up (its command timed out, its
 * connection was closed). Claiming then would lease tasks to nobody, and they would wait a whole lease before
 * running elsewhere; the claim script (do_claim in lib-claim.lua) therefore claims nothing past the fence, judged by
 * Redis's clock, and answers {@code {0, -3}}.
 *
 * <p>A claim sent ahead is fenced at its block time plus {@link #MARGIN_MS} after sending: its sender waits for the
 * pop for the block time plus {@link MarkerWait#GRACE_MS}, then for the claim's reply. Any other claim (a worker's
 * claim, the refill of a batched report) is fenced at its command timeout minus the margin (at most half the
 * timeout). The margin leaves room for the reply's way back and for the difference between the app host's clock
 * and Redis's (NTP keeps it far below). Brokers on a non-system clock (tests moving time) send no fences.
 */
public final class ClaimFence {
    private static final Logger log = LoggerFactory.getLogger(ClaimFence.class);
    /** Room between a fence and the moment its sender stops waiting for the reply. */
    public static final long MARGIN_MS = 1000;
    /** The claim script's wake-up value for a claim that ran past its fence (it claimed nothing). */
    public static final long FENCED = -3;

    private final long commandTimeoutMs;
    private volatile boolean on;

    /**
     * @param systemClock      whether the broker runs on the system clock (fences compare it with Redis's)
     * @param commandTimeoutMs how long a claim's sender waits for the reply
     */
    public ClaimFence(boolean systemClock, long commandTimeoutMs) {
        this.on = systemClock;
        this.commandTimeoutMs = commandTimeoutMs;
    }

    /** The fence argument of a claim sent now and awaited for the command timeout ("" for none). */
    public String forCall() {
        if (!on) {
            return "";
        }
        long margin = Math.min(MARGIN_MS, commandTimeoutMs / 2);
        return Long.toString(System.currentTimeMillis() + commandTimeoutMs - margin);
    }

    /** The fence of a claim sent now behind a marker wait of {@code waitMs} (always set: it reads Redis's clock). */
    public long forClaimAhead(long waitMs) {
        return System.currentTimeMillis() + waitMs + MARGIN_MS;
    }

    /**
     * Whether a claim's reply says it ran past its fence. Such a reply that arrives before the fence by this host's
     * clock means that Redis's clock runs ahead of this host's by more than the margin; fences of other claims are
     * then turned off (a claim fenced in time would fail for nothing), with one WARN, and claims sent ahead fall back
     * to an ordinary claim whenever they run late in their wait.
     *
     * @param fence the fence the claim carried (ms), or a negative number for none
     */
    public boolean fenced(List<?> reply, long fence) {
        if (reply.size() != 2 || !Long.valueOf(FENCED).equals(reply.get(1))) {
            return false;
        }
        if (fence >= 0 && System.currentTimeMillis() < fence && on) {
            on = false;
            log.warn("a claim ran past its fence although its reply came in time: Redis's clock seems to be ahead of"
                    + " this host's by more than {} ms (check NTP); claims are no longer fenced", MARGIN_MS);
        } else {
            log.debug("a claim ran past its fence and claimed nothing (it reached Redis late)");
        }
        return true;
    }
}
