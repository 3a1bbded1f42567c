package io.taskq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Optional;

/**
 * The broker's named leases ({@code io.taskq.spi.Leases}): one key per lease under {@code {<prefix>}:lease:}, each
 * operation one call of the {@code lease} script, timed by the broker's clock. Thread-safe.
 */
public final class NamedLeases {
    private final QueueScripts calls;

    /** Leases whose calls {@code calls} builds and runs. */
    public NamedLeases(QueueScripts calls) {
        this.calls = calls;
    }

    /** Takes or extends the lease if it is free, expired or already {@code owner}'s. */
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        Long r = calls.run(calls.lease("acquire", name, owner, ttl.toMillis()), ScriptOutputType.INTEGER);
        return r == 1L;
    }

    /** Gives the lease up if {@code owner} holds it. */
    public void release(String name, String owner) {
        calls.run(calls.lease("release", name, owner, 0), ScriptOutputType.INTEGER);
    }

    /** Who holds the lease now, if anyone. */
    public Optional<String> holder(String name) {
        String r = calls.run(calls.lease("holder", name, "", 0), ScriptOutputType.VALUE);
        return Optional.ofNullable(r);
    }
}
