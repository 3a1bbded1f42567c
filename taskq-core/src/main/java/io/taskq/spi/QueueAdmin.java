package io.taskq.spi;

import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Administration of a broker's queues, apart from the hot path of {@link Broker}: the list of queues, their counts,
 * the tasks in each place (what a dashboard pages through), and the dead letters.
 *
 * <p>A broker that offers it returns it from {@link Broker#queueAdmin()} (the in-memory and Redis brokers return
 * themselves), so {@code Taskq.builder().broker(redis)} brings its administration along, as a BullMQ {@code Queue}
 * or Celery's {@code app.control} come with their connection; {@code Taskq.Builder.queueAdmin} sets another one.
 * Every call does bounded work: a listing reads one page (Redis: ranges of the queue's sorted sets by rank, never
 * {@code KEYS} or a scan of a whole queue). All methods are thread-safe.
 */
public interface QueueAdmin {

    /** Most tasks one {@link #tasks} call returns. */
    int MAX_PAGE = 500;

    /**
     * The queues of this broker's namespace, sorted: every queue a producer enqueued to or a worker claimed from
     * (registered before its first task, by every broker instance of the namespace).
     */
    Set<String> queues();

    /** Counts of a queue. */
    QueueStats stats(String queue);

    /**
     * One page of the tasks of a queue in one place, in the order {@link TaskPage.Order} describes for that place.
     * Pages follow each other through their cursor: pass null for the first page and {@link TaskPage#next()} for
     * each further one. Tasks that move meanwhile (claimed, finished, new ones) may shift a later page: a task can
     * then be listed twice or not at all, as with any paging over a live queue.
     *
     * @param queue  the queue (the logical queue; a partitioned queue's partitions are merged)
     * @param place  which tasks: {@link TaskLocation.Place#QUEUED QUEUED}, {@code DELAYED}, {@code RUNNING},
     *               {@code FINISHED} (every task whose final record is still kept: SUCCESS, FAILURE and REVOKED
     *               together, the record says which; dead-lettered tasks too, which are also listed as
     *               {@code DEAD}) or {@code DEAD}
     * @param order  oldest first or newest first
     * @param limit  most tasks on the page, 1 to {@link #MAX_PAGE}
     * @param cursor null for the first page, else the {@code next} of the previous page of the same listing
     * @throws IllegalArgumentException if the limit is out of range or the cursor is not one of this listing's
     */
    TaskPage tasks(String queue, TaskLocation.Place place, TaskPage.Order order, int limit, String cursor);

    /**
     * Dead letters of a queue, newest first. An entry the broker cannot read in full is listed as an incomplete
     * dead letter ({@link DeadLetter#incomplete()}) instead of failing the listing.
     */
    List<DeadLetter> deadLetters(String queue, int limit);

    /**
     * One dead letter, read on its own (whatever the others hold). The default implementation searches
     * {@link #deadLetters}; brokers read the one entry instead.
     *
     * @return the dead letter (possibly incomplete), or empty if there is none with that id
     */
    default Optional<DeadLetter> deadLetter(String queue, String id) {
        return deadLetters(queue, Integer.MAX_VALUE).stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /**
     * Moves a dead letter back to the queue, ready at once, with a new body (the core resets its retry count).
     * Touches only that dead letter.
     *
     * @return false if no such dead letter exists
     * @throws IllegalStateException if the dead letter is incomplete (see {@link DeadLetter#incomplete()})
     */
    boolean resubmitDeadLetter(String queue, String id, String newBody);

    /** Deletes every dead letter of a queue; returns how many there were. */
    long purgeDeadLetters(String queue);
}
