package io.taskq.redis.internal;

import io.taskq.spi.ClaimRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a consumer's last claim found: every queue of its request without ready work, and when the next delayed
 * task or lease falls due. Its next claim with the same queues waits on the markers first instead of running an
 * empty claim; anything enqueued, released, reaped or retried since has set a marker, and time passing is covered
 * by the wake-up time. Thread-safe.
 */
public final class DryHints {
    /** A hint older than this is not used (it would still be correct; this just bounds how long one lives). */
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Consumers that stopped right after a claim leave one each; never let them pile up. */
    static final int MAX_HINTS = 10_000;

    private record Hint(List<String> queues, long nextWakeMs, long atNanos) {
    }

    private final Map<String, Hint> hints = new ConcurrentHashMap<>();

    /** Records that {@code request} found every queue dry; {@code nextWakeMs} is the next wake-up, -1 if none. */
    public void put(ClaimRequest request, long nextWakeMs, long nowNanos) {
        if (hints.size() > MAX_HINTS) {
            hints.clear();
        }
        hints.put(request.consumerId(), new Hint(sortedQueues(request), nextWakeMs, nowNanos));
    }

    /**
     * Takes the consumer's hint if it is fresh and for the same queues: its next wake-up (-1 if none); null if
     * there is no usable hint.
     */
    public Long take(ClaimRequest request, long nowNanos) {
        Hint h = hints.remove(request.consumerId());
        if (h == null || nowNanos - h.atNanos > MAX_AGE_NANOS || !h.queues.equals(sortedQueues(request))) {
            return null;
        }
        return h.nextWakeMs;
    }

    private static List<String> sortedQueues(ClaimRequest request) {
        List<String> q = request.queues();
        if (q.size() == 1) {
            return q;
        }
        List<String> s = new ArrayList<>(q);
        Collections.sort(s);
        return s;
    }
}
