package io.taskq.internal;

import io.taskq.WorkerInfo;
import io.taskq.spi.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory broker's worker registry: the workers of this JVM that share the broker, each until its last
 * heartbeat's time to live passes by the broker's clock. Its own map, so that listing never waits on the queues'
 * lock.
 */
final class InMemoryWorkerRegistry implements WorkerRegistry {
    private record Entry(WorkerInfo info, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    InMemoryWorkerRegistry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void heartbeat(WorkerInfo info, Duration ttl) {
        entries.put(info.id(), new Entry(info, clock.instant().plus(ttl)));
    }

    @Override
    public void remove(String workerId) {
        entries.remove(workerId);
    }

    @Override
    public List<WorkerInfo> live() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
        List<WorkerInfo> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (out.size() == MAX_LISTED) {
                break;
            }
            if (e.expiresAt().isAfter(now)) {
                out.add(e.info());
            }
        }
        return out;
    }
}
