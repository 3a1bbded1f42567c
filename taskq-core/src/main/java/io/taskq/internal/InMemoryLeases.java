package io.taskq.internal;

import io.taskq.spi.Leases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Named leases in memory, on the broker's clock. */
final class InMemoryLeases implements Leases {
    private record Lease(String owner, Instant until) {
    }

    private final Clock clock;
    private final Map<String, Lease> leases = new HashMap<>();

    InMemoryLeases(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean tryAcquire(String name, String owner, Duration ttl) {
        Instant now = clock.instant();
        Lease l = leases.get(name);
        if (l == null || !l.until.isAfter(now) || l.owner.equals(owner)) {
            leases.put(name, new Lease(owner, now.plus(ttl)));
            return true;
        }
        return false;
    }

    @Override
    public synchronized void release(String name, String owner) {
        Lease l = leases.get(name);
        if (l != null && l.owner.equals(owner)) {
            leases.remove(name);
        }
    }

    @Override
    public synchronized Optional<String> holder(String name) {
        Lease l = leases.get(name);
        return l == null || !l.until.isAfter(clock.instant()) ? Optional.empty() : Optional.of(l.owner);
    }
}
