package io.taskq.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Named, expiring leases: the primitive for electing one leader among application instances (the scheduler).
 */
public interface Leases {

    /**
     * Takes the lease for {@code ttl} if it is free or expired, or extends it if {@code owner} already holds it.
     *
     * @return true if {@code owner} holds the lease now
     */
    boolean tryAcquire(String name, String owner, Duration ttl);

    /** Gives the lease up if {@code owner} holds it. */
    void release(String name, String owner);

    /** Who holds the lease now, if anyone. */
    Optional<String> holder(String name);
}
