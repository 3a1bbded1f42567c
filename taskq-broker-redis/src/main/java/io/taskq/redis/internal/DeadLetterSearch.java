package io.taskq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.internal.DeadLetterCursor;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.QueueAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Dead letters by filter ({@code QueueAdmin.findDeadLetters}, {@code deleteDeadLetters}) in bounded steps of the
 * {@code admin dead} script, each reading at most {@link QueueAdmin#MAX_SCAN} dead letters of a queue (spread over
 * its partitions). Positions are by value (time, then id in Redis's byte order, the dead set's own order), so the
 * steps of a search over several partitions merge into one order, and dead letters that leave the set between steps
 * skip none of the others.
 */
final class DeadLetterSearch {
    /**
     * Most dead letters a step reads when the filter names a task or error type, so that the script reads each one's
     * stored entry (HSTRLEN, HGET and a text match: a few µs each, most of it the copy of the entry into Lua): 250
     * keep a step to a couple of milliseconds of Redis's time. Filters on time alone read no entry and take
     * {@link QueueAdmin#MAX_SCAN}.
     */
    static final int ENTRY_SCAN = 250;

    private final QueueScripts calls;
    private final Partitions partitions;

    DeadLetterSearch(QueueScripts calls, Partitions partitions) {
        this.calls = calls;
        this.partitions = partitions;
    }

    /** A dead letter with its place in the dead set. */
    private record Found(long ms, String id, DeadLetter deadLetter) {
    }

    private static final Comparator<Found> ORDER = Comparator.comparingLong(Found::ms)
            .thenComparing(Found::id, DeadLetterSearch::compareIds);

    /** Ids as Redis orders the members of one score: by their bytes. */
    static int compareIds(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** One step of a search: every partition from the same position, merged up to where all of them have read. */
    DeadLetterPage find(String queue, DeadLetterFilter filter, int limit, String cursor) {
        Objects.requireNonNull(filter, "filter");
        DeadLetterCursor.checkLimit(limit);
        DeadLetterCursor from = DeadLetterCursor.parse(cursor);
        Instant now = calls.now();
        List<String> parts = partitions.all(queue);
        int scan = Math.max(1, scanOf(filter) / parts.size());
        List<Found> found = new ArrayList<>();
        Found bound = null; // the least of the last positions read by partitions that have more
        for (String p : parts) {
            List<Object> r = calls.run(step(queue, p, "find", filter, now, from, scan, limit),
                    ScriptOutputType.MULTI);
            List<Object> entries = r.subList(4, r.size());
            for (int i = 0; i + 2 < entries.size(); i += 3) {
                String id = (String) entries.get(i);
                List<DeadLetter> one = new ArrayList<>(1);
                DeadLetterEntries.read(queue, entries.subList(i, i + 3), one);
                found.add(new Found(ms(entries.get(i + 1)), id, one.get(0)));
            }
            if ((Long) r.get(0) == 1L) {
                Found last = new Found(ms(r.get(1)), (String) r.get(2), null);
                bound = bound == null || ORDER.compare(last, bound) < 0 ? last : bound;
            }
        }
        found.sort(ORDER);
        if (bound != null) {
            Found b = bound;
            found.removeIf(f -> ORDER.compare(f, b) > 0); // beyond it another partition has not read yet
        }
        if (found.size() > limit) {
            found = found.subList(0, limit);
            bound = found.get(limit - 1);
        }
        return new DeadLetterPage(found.stream().map(Found::deadLetter).toList(),
                bound == null ? null : new DeadLetterCursor(bound.ms(), bound.id()).text());
    }

    /** Deletes up to {@code limit} matches, partition by partition, oldest first in each. */
    long delete(String queue, DeadLetterFilter filter, long limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        Instant now = calls.now();
        long total = 0;
        for (String p : partitions.all(queue)) {
            DeadLetterCursor at = null;
            boolean more = true;
            while (more && total < limit) {
                int most = (int) Math.min(scanOf(filter), limit - total);
                List<Object> r = calls.run(step(queue, p, "delete", filter, now, at, scanOf(filter), most),
                        ScriptOutputType.MULTI);
                total += (Long) r.get(3);
                more = (Long) r.get(0) == 1L;
                at = more ? new DeadLetterCursor(ms(r.get(1)), (String) r.get(2)) : null;
            }
        }
        return total;
    }

    private static int scanOf(DeadLetterFilter f) {
        return f.task() == null && f.errorType() == null ? QueueAdmin.MAX_SCAN : ENTRY_SCAN;
    }

    private QueueScripts.Call step(String queue, String physical, String op, DeadLetterFilter f, Instant now,
                                   DeadLetterCursor at, int scan, int limit) {
        Instant after = f.deadAfter(now);
        Instant before = f.deadBefore(now);
        return calls.deadScan(queue, physical, op, after == null ? null : after.toEpochMilli(),
                before == null ? null : before.toEpochMilli(), f.task(), f.errorType(),
                at == null ? null : at.deadAtMs(), at == null ? null : at.id(), scan, limit);
    }

    private static long ms(Object score) {
        return (long) Double.parseDouble(String.valueOf(score));
    }
}
