package io.taskq.spi;

import java.time.Clock;

/**
 * The embedded broker: queues, results and leases in this JVM's memory, with the same semantics as the Redis
 * broker (delays, priorities, leases, fencing, revoke, dead letters). It is what {@code Taskq.builder()} uses when no
 * broker is set; create one yourself to share it, wrap it (a {@link ForwardingBroker}) or hand it to a framework.
 * For development and tests: nothing is shared between processes or survives a restart.
 */
public interface MemoryBroker extends Broker, QueueAdmin, ResultBackend, Leases {

    /** An empty broker on the given clock, with the default retention (results 24 h, 10,000 dead letters). */
    static MemoryBroker create(Clock clock) {
        return new io.taskq.internal.InMemoryBroker(clock);
    }

    /** An empty broker on the UTC system clock. */
    static MemoryBroker create() {
        return create(Clock.systemUTC());
    }
}
