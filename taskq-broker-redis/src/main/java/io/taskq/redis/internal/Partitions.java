package io.taskq.redis.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Which partition (its own set of keys, its own Cluster slot) a queue's task lives in, and the order in which a
 * claim visits a partitioned queue's partitions. A queue not configured otherwise has one partition: itself.
 * Thread-safe.
 */
public final class Partitions {
    private final Map<String, Integer> configured;
    private final AtomicInteger roundRobin = new AtomicInteger();

    /**
     * A queue and the physical queue (the queue itself or one of its partitions, {@code queue#k}) a piece of work
     * goes to; work is grouped by it, one script call per group.
     *
     * @param queue    the queue's name
     * @param physical whose keys the script runs on
     */
    public record Where(String queue, String physical) {
    }

    /** The configured partition counts (queue → n, for n > 1). */
    public Partitions(Map<String, Integer> configured) {
        this.configured = Map.copyOf(configured);
    }

    /** The configured partition counts. */
    public Map<String, Integer> configured() {
        return configured;
    }

    /** How many partitions a queue is spread over; 1 unless configured. */
    public int of(String queue) {
        return configured.getOrDefault(queue, 1);
    }

    /**
     * Where a task lives: the queue itself, or for a partitioned queue {@code queue#k} with k derived from the id
     * ({@code floorMod(id.hashCode(), partitions)}), so any client finds the task from its queue and id alone.
     */
    public String partitionOf(String queue, String id) {
        return Keys.partition(queue, id, of(queue));
    }

    /** The queue and partition of a task. */
    public Where where(String queue, String id) {
        return new Where(queue, partitionOf(queue, id));
    }

    /** Every physical queue of a queue, in partition order. */
    public List<String> all(String queue) {
        int n = of(queue);
        if (n == 1) {
            return List.of(queue);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(queue + "#" + i);
        }
        return out;
    }

    /**
     * The queues in the requested order; a partitioned queue's partitions round-robin from call to call, so that
     * consumers do not all drain partition 0 first.
     */
    public List<Where> claimOrder(List<String> queues) {
        List<Where> out = new ArrayList<>();
        int turn = -1;
        for (String q : queues) {
            int n = of(q);
            if (n == 1) {
                out.add(new Where(q, q));
                continue;
            }
            if (turn < 0) {
                turn = roundRobin.getAndIncrement() & Integer.MAX_VALUE;
            }
            for (int i = 0; i < n; i++) {
                out.add(new Where(q, q + "#" + ((turn + i) % n)));
            }
        }
        return out;
    }

    /** Groups items by where they go, groups and items in their first-seen order. */
    public static <V> Map<Where, List<V>> group(List<V> items, Function<V, Where> where) {
        Map<Where, List<V>> m = new LinkedHashMap<>();
        for (V v : items) {
            m.computeIfAbsent(where.apply(v), q -> new ArrayList<>()).add(v);
        }
        return m;
    }
}
