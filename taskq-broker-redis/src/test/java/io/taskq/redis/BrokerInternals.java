package io.taskq.redis;

/**
 * What tests need to see of a broker or schedule store beyond the public API (key names, partitions, the script
 * mode), reached through their package-private accessors, so that nothing is public only for tests.
 */
public final class BrokerInternals {
    private BrokerInternals() {
    }

    /** Whether the queue scripts run as functions (FCALL) rather than with EVALSHA. */
    public static boolean usesFunctions(RedisBroker broker) {
        return broker.scripts().functions();
    }

    /** The hash-tagged base of a queue's keys, e.g. {@code {live:default}}. */
    public static String queueKeyBase(RedisBroker broker, String queue) {
        return broker.keys().base(queue);
    }

    /** The partition (physical queue) a task of the queue lives in. */
    public static String partitionOf(RedisBroker broker, String queue, String id) {
        return broker.partitions().partitionOf(queue, id);
    }

    /** The schedule store's change channel. */
    public static String channel(RedisScheduleStore store) {
        return store.channel();
    }
}
