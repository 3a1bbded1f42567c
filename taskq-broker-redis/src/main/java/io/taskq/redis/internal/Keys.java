package io.taskq.redis.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key names. Every key of one queue shares the hash tag {@code {<prefix>:<queue>}} so that a queue lives in one
 * Redis Cluster slot and the scripts, which receive every key in KEYS, stay cluster-safe.
 */
public final class Keys {
    /** Suffixes of the per-queue keys, in the order the scripts expect them in KEYS. */
    static final String[] SUFFIXES = {"job", "att", "ready", "delayed", "active", "res", "resx", "rev", "dead",
        "dinfo", "seq", "marker", "revx"};
    /** Index of the records hash in {@link #queue(String)}. */
    public static final int RES = 5;
    /** Index of the record expiry index in {@link #queue(String)}. */
    public static final int RESX = 6;
    /** Index of the sequence counter key in {@link #queue(String)}. */
    public static final int SEQ = 10;
    /** Index of the marker key in {@link #queue(String)}. */
    public static final int MARKER = 11;

    private final String prefix;
    private final Map<String, String[]> cache = new ConcurrentHashMap<>();

    /** Keys for one prefix. */
    public Keys(String prefix) {
        this.prefix = prefix;
    }

    /** The hash-tagged base of a queue's keys. */
    public String base(String queue) {
        return "{" + prefix + ":" + queue + "}";
    }

    /** All keys of a queue, in script order. Do not modify the array. */
    public String[] queue(String queue) {
        return cache.computeIfAbsent(queue, q -> {
            String b = base(q);
            String[] keys = new String[SUFFIXES.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = b + ":" + SUFFIXES[i];
            }
            return keys;
        });
    }

    /**
     * Where a task of a queue spread over {@code partitions} lives: the queue itself, or {@code queue#k} with k
     * derived from the id, so that any client finds the task from its queue and id alone.
     */
    public static String partition(String queue, String id, int partitions) {
        return partitions == 1 ? queue : queue + "#" + Math.floorMod(id.hashCode(), partitions);
    }

    /** The state of a chord whose callback goes to the physical queue {@code physical}: in that queue's slot. */
    public String chord(String physical, String chordId) {
        return base(physical) + ":chord:" + chordId;
    }

    /**
     * The limits hash of a queue (partition): the state of the limits its tasks carry and their run-time values,
     * in the queue's slot; the claim scripts take it as their last key (see lib-claim.lua).
     */
    public String limits(String queue) {
        return base(queue) + ":lim";
    }

    /**
     * The uniqueness keys of a queue (partition): key → the holder's id, mode and window end; the enqueue script
     * takes it as its last key (see enqueue.lua).
     */
    public String uniques(String queue) {
        return base(queue) + ":uniq";
    }

    /** The limits' run-time values in force for the prefix (see {@code RedisLimitStore}). */
    public String limitOverrides() {
        return "{" + prefix + "}:limits";
    }

    /** The key of a named lease. */
    public String lease(String name) {
        return "{" + prefix + "}:lease:" + name;
    }

    /** The registry of the prefix's queues: a HASH queue name → partition count (see {@code QueueRegistry}). */
    public String queues() {
        return "{" + prefix + "}:queues";
    }

    /** The entry of one live worker (the worker registry): its JSON, expiring with its heartbeat's time to live. */
    public String worker(String id) {
        return "{" + prefix + "}:worker:" + id;
    }

    /** The index of the worker registry: a ZSET worker id → expiry of its last heartbeat (epoch ms). */
    public String workers() {
        return "{" + prefix + "}:workers";
    }

    /** The event stream of the prefix (see {@code RedisEventLog}): one STREAM, in the prefix's own slot. */
    public String events() {
        return "{" + prefix + "}:events";
    }

    /** The control stream of the prefix (see {@code RedisControlBus}): remote-control commands, one STREAM. */
    public String control() {
        return "{" + prefix + "}:control";
    }

    /** The replies to one remote-control command: a LIST, expiring shortly after the command does. */
    public String controlReply(String commandId) {
        return "{" + prefix + "}:control:reply:" + commandId;
    }

    /** The pub/sub channel of final-state notifications. */
    public String finalChannel() {
        return "{" + prefix + "}:final";
    }
}
