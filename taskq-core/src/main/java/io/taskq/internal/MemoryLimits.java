package io.taskq.internal;

import io.taskq.RateLimit;
import io.taskq.spi.LimitStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The in-memory broker's limits, as the Redis claim keeps them (lib-limits.lua; docs/limits.md): a GCRA per rate
 * counter whose state is the theoretical arrival time, a reservation for a task that must wait (its start time is
 * taken, so it runs when it comes due without asking again), and the running holders of each concurrency counter,
 * checked against their leases so that a dead worker's slots come back when its lease ends. State per queue, the
 * run-time overrides shared. The caller holds the broker's lock.
 */
final class MemoryLimits implements LimitStore {
    /** How long a task waits for a concurrency slot before it is tried again. */
    static final long CONCURRENCY_RETRY_MS = 100;

    private final Map<String, Setting> overrides = new LinkedHashMap<>();

    /** One queue's counters. */
    static final class QueueState {
        final Map<String, Long> tat = new HashMap<>();
        final Map<String, Long> grants = new HashMap<>();
        final Map<String, Set<String>> holders = new HashMap<>();
    }

    @Override
    public synchronized void setRate(String name, RateLimit rate) {
        Setting o = overrides.get(name);
        overrides.put(name, new Setting(rate, o == null ? 0 : o.maxRunning()));
    }

    @Override
    public synchronized void setConcurrency(String name, int maxRunning) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning must be at least 1");
        }
        Setting o = overrides.get(name);
        overrides.put(name, new Setting(o == null ? null : o.rate(), maxRunning));
    }

    @Override
    public synchronized void clear(String name) {
        overrides.remove(name);
    }

    @Override
    public synchronized Map<String, Setting> overrides() {
        return Map.copyOf(overrides);
    }

    private synchronized Setting override(String name) {
        return overrides.get(name);
    }

    /**
     * Whether the task {@code id} may start now under {@code spec}: null if it may (its permits are taken), else the
     * time it should come back (it stays queued until then).
     *
     * @param running whether a task id holds a live lease in the queue (a concurrency slot's holder)
     */
    Instant admit(QueueState q, String id, LimitSpec spec, Instant now, Predicate<String> running) {
        for (LimitSpec.Entry e : spec.entries()) {
            if (e.isConcurrency() && !slotFree(q, id, e, running)) {
                return now.plusMillis(CONCURRENCY_RETRY_MS);
            }
        }
        long nowUs = now.toEpochMilli() * 1000;
        Long granted = q.grants.remove(id);
        if (granted == null) {
            long start = nowUs;
            for (LimitSpec.Entry e : spec.entries()) {
                if (!e.isConcurrency()) {
                    RateLimit r = rate(e);
                    long base = Math.max(q.tat.getOrDefault(e.counter(), 0L), nowUs);
                    start = Math.max(start, base - (r.burst() - 1) * r.intervalMicros());
                }
            }
            for (LimitSpec.Entry e : spec.entries()) {
                if (!e.isConcurrency()) {
                    long tat = q.tat.getOrDefault(e.counter(), 0L);
                    q.tat.put(e.counter(), Math.max(tat, start) + rate(e).intervalMicros());
                }
            }
            if (start > nowUs) {
                q.grants.put(id, start);
                return Instant.ofEpochMilli((start + 999) / 1000);
            }
        }
        for (LimitSpec.Entry e : spec.entries()) {
            if (e.isConcurrency()) {
                q.holders.computeIfAbsent(e.counter(), k -> new HashSet<>()).add(id);
            }
        }
        return null;
    }

    private boolean slotFree(QueueState q, String id, LimitSpec.Entry e, Predicate<String> running) {
        Set<String> h = q.holders.get(e.counter());
        if (h == null) {
            return true;
        }
        h.removeIf(other -> other.equals(id) || !running.test(other));
        Setting o = override(e.name());
        int max = o != null && o.maxRunning() > 0 ? o.maxRunning() : e.maxRunning();
        return h.size() < max;
    }

    private RateLimit rate(LimitSpec.Entry e) {
        Setting o = override(e.name());
        return o != null && o.rate() != null ? o.rate() : e.rate();
    }
}
