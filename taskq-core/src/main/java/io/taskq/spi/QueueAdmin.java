package io.taskq.spi;

import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
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

    /** Most tasks one {@link #tasks} call returns, and most dead letters one {@link #findDeadLetters} call returns. */
    int MAX_PAGE = 500;

    /** Most dead letters one {@link #findDeadLetters} call reads (matching or not), so that each call is bounded. */
    int MAX_SCAN = 1000;

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

    /**
     * Deletes one dead letter (whatever the others hold).
     *
     * @return false if there is no dead letter with that id
     * @throws UnsupportedOperationException if this administration cannot (the default)
     */
    default boolean deleteDeadLetter(String queue, String id) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delete one dead letter");
    }

    /**
     * The stored body (the envelope, see docs/protocol.md) of a task the queue still holds: ready, delayed or
     * running. A finished task's message is gone (its record remains) and a dead letter's is in
     * {@link #deadLetter}. For operators' tools that show a task's arguments; whoever shows them decides who may
     * see them.
     *
     * @return the body, or empty if the queue holds no message with that id (or the administration cannot read
     *         one: the default)
     */
    default Optional<String> messageBody(String queue, String id) {
        return Optional.empty();
    }

    /**
     * Deletes the ready tasks of a queue (Celery's {@code purge}, BullMQ's {@code drain}): every priority band and
     * partition, and the delayed tasks whose time has come; not the delayed ones still waiting, not the running
     * ones, not the dead letters. Purged tasks vanish with what the broker kept of them (message, attempts, their
     * record if any), as in Celery: no final record is written and nobody is told, so a {@code TaskHandle.get} on
     * one waits until its timeout. The broker works in bounded steps (Redis: up to 1,000 tasks per script call), so
     * other clients go on meanwhile; a task enqueued during the purge may or may not be purged, and the purge stops
     * once it has removed as many as the queue held when it began.
     *
     * @return how many tasks were removed
     * @throws UnsupportedOperationException if this administration cannot purge (the default)
     */
    default long purge(String queue) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot purge a queue");
    }

    /**
     * One bounded step of a search through a queue's dead letters, oldest first: reads up to {@link #MAX_SCAN} dead
     * letters from {@code cursor} on and returns those that match (at most {@code limit}) and where to go on. A
     * dead letter that leaves the set (resubmitted, deleted) between steps does not move the cursor: no other one
     * is skipped because of it.
     *
     * @param filter which dead letters (times are taken at the call, by the administration's clock)
     * @param limit  most matches on the page, 1 to {@link #MAX_PAGE}
     * @param cursor null to begin, else the {@code next} of the previous page of the same search
     * @throws IllegalArgumentException if the limit is out of range or the cursor is not one of a search's
     * @throws UnsupportedOperationException if this administration cannot search (the default)
     */
    default DeadLetterPage findDeadLetters(String queue, DeadLetterFilter filter, int limit, String cursor) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot search dead letters");
    }

    /**
     * Deletes up to {@code limit} dead letters of a queue that match {@code filter}, oldest first, in bounded steps
     * (each reads at most {@link #MAX_SCAN}); {@code Long.MAX_VALUE} for every match.
     *
     * @return how many were deleted
     * @throws IllegalArgumentException if the limit is not positive
     * @throws UnsupportedOperationException if this administration cannot (the default)
     */
    default long deleteDeadLetters(String queue, DeadLetterFilter filter, long limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delete dead letters by filter");
    }
}
