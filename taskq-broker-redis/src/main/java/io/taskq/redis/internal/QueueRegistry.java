package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queues of one key prefix: a HASH {@code {prefix}:queues}, queue name → partition count. A queue's own keys
 * each sit under the queue's hash tag (its Cluster slot), so no index across queues can be written in the same
 * atomic call as a task; instead every broker instance registers a queue the first time it enqueues to it (before
 * the enqueue, so that no task sits in an unlisted queue) or claims from it, and remembers that it did, so that
 * registering costs nothing per task. Lookup by id asks every queue listed here; it is also the list of queues a
 * dashboard shows.
 */
public final class QueueRegistry {
    private final Connections conns;
    private final String key;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile BiConsumer<String, Integer> whenListed = (q, n) -> { };

    /** The registry of {@code keys}' prefix. */
    public QueueRegistry(Connections conns, Keys keys) {
        this.conns = conns;
        this.key = keys.queues();
    }

    /** What to do once when this instance lists a queue (the limits' run-time values are copied to it). */
    public void whenListed(BiConsumer<String, Integer> action) {
        this.whenListed = action;
    }

    /**
     * Lists {@code queue} (with its partition count) unless this instance already did.
     *
     * @throws RuntimeException if Redis refused the write; the caller's enqueue must not go ahead then
     */
    public void register(String queue, int partitions) {
        if (registered.contains(queue)) {
            return;
        }
        try {
            conns.commands().hset(key, queue, Integer.toString(partitions));
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("READONLY")) {
                throw e;
            }
            conns.readOnly(); // a demoted master (Sentinel): find the new one, then write once more
            conns.commands().hset(key, queue, Integer.toString(partitions));
        }
        whenListed.accept(queue, partitions);
        registered.add(queue);
    }

    /** Every listed queue with its partition count, by name. */
    public Map<String, Integer> all() {
        Map<String, Integer> out = new TreeMap<>();
        conns.commands().hgetall(key).forEach((q, n) -> {
            int count;
            try {
                count = Math.max(1, Integer.parseInt(n));
            } catch (NumberFormatException e) {
                count = 1; // written by hand: taken as an unpartitioned queue
            }
            out.put(q, count);
        });
        return out;
    }
}
