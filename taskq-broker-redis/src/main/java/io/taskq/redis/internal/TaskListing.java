package io.taskq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.taskq.internal.Paging;
import io.taskq.redis.internal.Scripts.Name;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Pages through the tasks of a queue in one place ({@code QueueAdmin.tasks}): the {@code inspect list} script reads
 * one page by rank from the place's sorted set in each partition (pipelined), and a partitioned queue's pages are
 * merged by score. The cursor keeps a position per partition, so a page costs at most {@code limit} entries per
 * partition however deep it is.
 */
public final class TaskListing {
    private final Connections conns;
    private final Scripts scripts;
    private final Keys keys;
    private final Function<String, List<String>> commonArgs;

    /**
     * A listing.
     *
     * @param commonArgs the scripts' common arguments for a (logical) queue, taken at the time of the call
     */
    public TaskListing(Connections conns, Scripts scripts, Keys keys, Function<String, List<String>> commonArgs) {
        this.conns = conns;
        this.scripts = scripts;
        this.keys = keys;
        this.commonArgs = commonArgs;
    }

    /** One entry of a partition's page, with where it came from (for a stable merge). */
    private record Entry(double score, int partition, int rank, TaskSummary summary) {
    }

    /** Values per task in a page of {@code inspect list}. */
    private static final int FIELDS = 7;

    /** One page; {@code partitions} are the physical queues of {@code queue}, in partition order. */
    public TaskPage page(String queue, List<String> partitions, TaskLocation.Place place, TaskPage.Order order,
                         int limit, String cursor) {
        long[] pos = Paging.positions(cursor, partitions.size(), limit);
        boolean rev = order == TaskPage.Order.NEWEST_FIRST;
        List<String[]> args = new ArrayList<>();
        List<CompletableFuture<List<Object>>> replies = new ArrayList<>();
        for (int p = 0; p < partitions.size(); p++) {
            List<String> a = new ArrayList<>(commonArgs.apply(queue));
            a.addAll(List.of("list", code(place), rev ? "1" : "0", Long.toString(pos[p]), Integer.toString(limit)));
            args.add(a.toArray(new String[0]));
            replies.add(scripts.send(conns, Name.INSPECT, ScriptOutputType.MULTI, keys.queue(partitions.get(p)),
                    args.get(p)));
        }
        List<Entry> entries = new ArrayList<>();
        long[] totals = new long[partitions.size()];
        for (int p = 0; p < partitions.size(); p++) {
            List<Object> r;
            try {
                r = Scripts.await(replies.get(p));
            } catch (RuntimeException e) {
                if (!Scripts.refusedBeforeRunning(e)) {
                    throw e;
                }
                r = scripts.run(conns, Name.INSPECT, ScriptOutputType.MULTI, keys.queue(partitions.get(p)),
                        args.get(p)); // NOSCRIPT or READONLY: it did not run
            }
            totals[p] = (Long) r.get(0);
            for (int i = 1, rank = 0; i + FIELDS <= r.size(); i += FIELDS, rank++) {
                entries.add(entry(queue, place, p, rank, r.subList(i, i + FIELDS)));
            }
        }
        Comparator<Entry> byScore = Comparator.comparingDouble(Entry::score);
        entries.sort((rev ? byScore.reversed() : byScore).thenComparingInt(Entry::partition)
                .thenComparingInt(Entry::rank));
        List<TaskSummary> page = new ArrayList<>(limit);
        for (Entry e : entries.subList(0, Math.min(limit, entries.size()))) {
            page.add(e.summary());
            pos[e.partition()]++;
        }
        boolean more = false;
        for (int p = 0; p < partitions.size(); p++) {
            more |= pos[p] < totals[p];
        }
        return new TaskPage(page, more ? Paging.cursor(pos) : null);
    }

    private static String code(TaskLocation.Place place) {
        return switch (place) {
            case QUEUED -> "Q";
            case DELAYED -> "D";
            case RUNNING -> "R";
            case FINISHED -> "F";
            case DEAD -> "X";
        };
    }

    private static Entry entry(String queue, TaskLocation.Place place, int partition, int rank, List<Object> v) {
        String id = (String) v.get(0);
        String scoreText = (String) v.get(1);
        String task = (String) v.get(2);
        long priority = (Long) v.get(3);
        String json = (String) v.get(4);
        String info = (String) v.get(5);
        String root = (String) v.get(6);
        double score = Double.parseDouble(scoreText);
        TaskRecord rec = json.isEmpty() ? null : TaskLocator.record(queue, id, json);
        if (rec == null && place == TaskLocation.Place.DEAD) {
            rec = TaskLocator.deadRecord(queue, id, info, Long.toString((long) score));
        }
        if (task.isEmpty()) {
            task = rec == null ? null : rec.task();
        }
        Instant at = place == TaskLocation.Place.QUEUED ? null : Instant.ofEpochMilli((long) score);
        return new Entry(score, partition, rank, new TaskSummary(id, queue, place, task,
                priority < 0 ? null : (int) priority, at, rec, root.isEmpty() ? null : root));
    }
}
