package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.QueueStats;
import io.taskq.internal.ReadyAge;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import java.time.Instant;
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
 * stats, purge of the ready tasks, dead letters (list, read, resubmit, purge, by filter), task listings and
 * locations; a partitioned queue is asked
 * partition by partition and the answers merged. Thread-safe.
 */
public final class QueueAdministration {
    private final QueueScripts calls;
    private final Partitions partitions;
    private final QueueRegistry registry;
    private final TaskLocator locator;
    private final TaskListing listing;
    private final DeadLetterSearch search;

    /** Most ready tasks one {@code admin purge} call deletes: a few ms of Redis's time (docs/performance.md). */
    static final int PURGE_STEP = 1000;

    /** Administration of one broker's queues. */
    public QueueAdministration(QueueScripts calls, Connections conns, Partitions partitions,
                               QueueRegistry registry) {
        this.calls = calls;
        this.partitions = partitions;
        this.registry = registry;
        this.locator = new TaskLocator(conns, calls.scripts(), calls.keys(), calls::common);
        this.listing = new TaskListing(conns, calls.scripts(), calls.keys(), calls::common);
        this.search = new DeadLetterSearch(calls, partitions);
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

    /** Deletes one dead letter ({@code admin deadone}, in the id's partition). */
    public boolean deleteDeadLetter(String queue, String id) {
        Long n = calls.run(calls.deleteDeadLetter(queue, partitions.partitionOf(queue, id), id),
                ScriptOutputType.INTEGER);
        return n == 1L;
    }

    /** The body of a message the queue holds ({@code inspect job}, in the id's partition). */
    public Optional<String> messageBody(String queue, String id) {
        List<Object> r = calls.run(calls.inspect(queue, partitions.partitionOf(queue, id), "job", id),
                ScriptOutputType.MULTI);
        return r.isEmpty() || r.get(0) == null ? Optional.empty() : Optional.of((String) r.get(0));
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

    /**
     * Counts of a queue, summed over its partitions, and the age of the oldest head of their priority bands (see
     * {@code QueueStats.oldestReadyAge}; the script reads the heads' header times, this side parses them).
     */
    public QueueStats stats(String queue) {
        long[] sum = new long[4];
        Instant oldest = null;
        for (String p : partitions.all(queue)) {
            List<Object> r = calls.run(calls.inspect(queue, p, "stats"), ScriptOutputType.MULTI);
            for (int i = 0; i < 4; i++) {
                sum[i] += (Long) r.get(i);
            }
            for (int i = 4; i + 1 < r.size(); i += 2) {
                Instant since = ReadyAge.since((String) r.get(i), (String) r.get(i + 1));
                oldest = since != null && (oldest == null || since.isBefore(oldest)) ? since : oldest;
            }
        }
        return new QueueStats(queue, sum[0], sum[1], sum[2], sum[3], ReadyAge.age(calls.now(), oldest));
    }

    /**
     * Deletes the ready tasks of a queue in steps of {@link #PURGE_STEP} (one {@code admin purge} call each),
     * partition by partition; each partition stops once it removed as many as it held at its first step, so that
     * producers faster than the purge cannot keep it going.
     */
    public long purge(String queue) {
        long total = 0;
        for (String p : partitions.all(queue)) {
            long budget = -1;
            while (true) {
                List<Object> r = calls.run(calls.purgeReady(queue, p, PURGE_STEP), ScriptOutputType.MULTI);
                long removed = (Long) r.get(0);
                long left = (Long) r.get(1);
                total += removed;
                budget = (budget < 0 ? removed + left : budget) - removed;
                if (removed == 0 || left == 0 || budget <= 0) {
                    break;
                }
            }
        }
        return total;
    }

    /** One bounded step of a search through a queue's dead letters; see {@link DeadLetterSearch}. */
    public DeadLetterPage findDeadLetters(String queue, DeadLetterFilter filter, int limit, String cursor) {
        return search.find(queue, filter, limit, cursor);
    }

    /** Deletes dead letters by filter, in bounded steps; see {@link DeadLetterSearch}. */
    public long deleteDeadLetters(String queue, DeadLetterFilter filter, long limit) {
        return search.delete(queue, filter, limit);
    }
}
