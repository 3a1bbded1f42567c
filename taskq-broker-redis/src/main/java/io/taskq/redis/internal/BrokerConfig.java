package io.taskq.redis.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What a broker is configured with, fixed at build time: the public builders fill it, the broker's parts read it.
 * The one place that turns the builder settings into what the scripts receive.
 *
 * @param prefix             the key prefix
 * @param clock              the clock for every time the scripts see
 * @param resultTtl          how long records are kept after their last change
 * @param maxRedeliveries    leases a started task may lose before it is dead-lettered
 * @param deadLetterMaxCount most dead letters kept per queue
 * @param deadLetterMaxAge   how long dead letters are kept
 * @param revokeMarkerTtl    how long a revoke of an unknown id is remembered
 * @param maxMessageBytes    the longest stored message
 * @param functions          whether the queue scripts may run as a function library
 * @param endpoint           how Redis is reached (a copy the broker owns)
 * @param partitions         queue → partition count, for partitioned queues only
 * @param eventStreamMaxLength about how many events the event stream keeps; 0: no stream
 */
public record BrokerConfig(String prefix, Clock clock, Duration resultTtl, int maxRedeliveries,
                           int deadLetterMaxCount, Duration deadLetterMaxAge, Duration revokeMarkerTtl,
                           int maxMessageBytes, boolean functions, Endpoint endpoint,
                           Map<String, Integer> partitions, int eventStreamMaxLength) {

    /** The default of the longest stored message: 1 MiB + 64 KiB (the core's default plus room for the name). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = (1 << 20) + (64 << 10);

    /** The default of {@link #eventStreamMaxLength}. */
    public static final int DEFAULT_EVENT_STREAM_MAX_LENGTH = 10_000;

    /** A snapshot: the endpoint copied, the partitions frozen. */
    public BrokerConfig {
        endpoint = endpoint.copy();
        partitions = Map.copyOf(partitions);
    }

    /**
     * Whether the clock is the system clock: only then may a script take its time from Redis (claims sent ahead),
     * and idle waits need not be sliced for a test that moves the clock.
     */
    public boolean systemClock() {
        return clock.getClass().getName().equals("java.time.Clock$SystemClock");
    }
}
