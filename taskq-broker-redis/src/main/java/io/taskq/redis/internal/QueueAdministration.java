package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The broker's queue administration ({@code io.taskq.spi.QueueAdmin}) and lookups by id: the registered queues,
 * stats, dead letters (list, read, resubmit, purge), task listings and locations; a partitioned queue is asked
 * partition by partition and the answers merged. Thread-safe.
 */
public final class QueueAdministration {
    private final QueueScripts calls;
    private final Partitions partitions;
    private final QueueRegistry registry;
    private final TaskLocator locator;
    private final TaskListing listing;

    /** Administration of one broker's queues. */
    public QueueAdministration(QueueScripts calls, Connections conns, Partitions partitions,
                               QueueRegistry registry) {
        this.calls = calls;
        this.partitions = partitions;
        this.registry = registry;
        this.locator = new TaskLocator(conns, calls.scripts(), calls.keys(), calls::common);
        this.listing = new TaskListing(conns, calls.scripts(), calls.keys(), calls::common);
    }

    /** The registered queues, sorted. */
    public Set<String> queues() {
        return Collections.unmodifiableSet(new TreeSet<>(registry.all().keySet()));
    }

    /** Where ids are, in any registered queue. */
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> queues = registry.all();
        queues.replaceAll((q, n) -> partitions.configured().getOrDefault(q, n)); // this broker's own setting wins
        return locator.locate(queues, ids);
    }

    /** Where ids are in one queue. */
    public Map<String, TaskLocation> locate(String queue, Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : locator.locate(Map.of(queue, partitions.of(queue)), ids);
    }

    /** One {@code inspect list} script per partition (pipelined), each reading a page by rank; see TaskListing. */
    public TaskPage tasks(String queue, TaskLocation.Place place, TaskPage.Order order, int limit, String cursor) {
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(order, "order");
        return listing.page(queue, partitions.all(queue), place, order, limit, cursor);
    }

    /** The newest dead letters of a queue, newest first. */
    public List<DeadLetter> deadLetters(String queue, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<DeadLetter> out = new ArrayList<>();
        for (String p : partitions.all(queue)) {
            List<Object> r = calls.run(calls.inspect(queue, p, "dead", Integer.toString(limit)),
                    ScriptOutputType.MULTI);
            DeadLetterEntries.read(queue, r, out);
        }
        if (partitions.of(queue) > 1) {
            out.sort(Comparator.comparing(DeadLetter::deadAt).reversed());
            return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
        }
        return out;
    }

    /** One dead letter. */
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        List<Object> r = calls.run(calls.inspect(queue, partitions.partitionOf(queue, id), "deadone", id),
                ScriptOutputType.MULTI);
        List<DeadLetter> out = new ArrayList<>(1);
        DeadLetterEntries.read(queue, r, out);
        return out.stream().findFirst();
    }

    /** A dead letter back to ready, with a new body if given. */
    public boolean resubmitDeadLetter(String queue, String id, String newBody) {
        registry.register(queue, partitions.of(queue)); // a queue filled before the registry existed
        Long r;
        try {
            r = calls.run(calls.resubmit(queue, partitions.partitionOf(queue, id), id, newBody),
                    ScriptOutputType.INTEGER);
        } catch (RedisCommandExecutionException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("cannot be resubmitted")) {
                throw new IllegalStateException(m.startsWith("ERR ") ? m.substring(4) : m, e);
            }
            throw e;
        }
        return r == 1L;
    }

    /** Deletes every dead letter of a queue, in bounded script calls; how many. */
    public long purgeDeadLetters(String queue) {
        long total = 0;
        for (String p : partitions.all(queue)) {
            while (true) {
                Long n = calls.run(calls.inspect(queue, p, "purge"), ScriptOutputType.INTEGER);
                total += n;
                if (n == 0) {
                    break;
                }
            }
        }
        return total;
    }

    /** Counts of a queue, summed over its partitions. */
    public QueueStats stats(String queue) {
        long[] sum = new long[4];
        for (String p : partitions.all(queue)) {
            List<Object> r = calls.run(calls.inspect(queue, p, "stats"), ScriptOutputType.MULTI);
            for (int i = 0; i < 4; i++) {
                sum[i] += (Long) r.get(i);
            }
        }
        return new QueueStats(queue, sum[0], sum[1], sum[2], sum[3]);
    }
}
