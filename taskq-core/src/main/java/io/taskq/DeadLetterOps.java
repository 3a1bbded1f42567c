package io.taskq;

import io.taskq.internal.Envelope;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.QueueAdmin;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Resubmitting dead letters, one or many ({@link Taskq#resubmitDeadLetter}, {@link Taskq#resubmitDeadLetters}): the
 * message goes back with its retry count reset and a new {@code sent_at}, which is the core's job (the envelope is
 * the core's format), and the broker moves it ({@link QueueAdmin#resubmitDeadLetter}). Many are found page by page
 * with {@link QueueAdmin#findDeadLetters}, so that no call reads the whole dead-letter set.
 */
final class DeadLetterOps {
    private final Clock clock;

    DeadLetterOps(Clock clock) {
        this.clock = clock;
    }

    /** One dead letter by id; false if there is none. */
    boolean resubmit(QueueAdmin admin, String queue, String id) {
        Optional<DeadLetter> d = admin.deadLetter(queue, id);
        if (d.isEmpty()) {
            return false;
        }
        if (!d.get().isComplete()) {
            throw new IllegalStateException("dead letter " + id + " of queue '" + queue + "' cannot be resubmitted: "
                    + d.get().incomplete());
        }
        return admin.resubmitDeadLetter(queue, id, newBody(d.get()));
    }

    /**
     * Up to {@code limit} matching dead letters, oldest first; incomplete ones are skipped (they cannot go back).
     *
     * @return how many went back
     */
    long resubmit(QueueAdmin admin, String queue, DeadLetterFilter filter, long limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        long n = 0;
        String cursor = null;
        do {
            int page = (int) Math.min(QueueAdmin.MAX_PAGE, limit - n);
            DeadLetterPage p = admin.findDeadLetters(queue, filter, page, cursor);
            for (DeadLetter d : p.deadLetters()) {
                if (d.isComplete() && admin.resubmitDeadLetter(queue, d.id(), newBody(d))) {
                    n++;
                }
            }
            cursor = p.next();
        } while (cursor != null && n < limit);
        return n;
    }

    /** The message with its retry count reset; a malformed one as it was (it will be dead-lettered again). */
    private String newBody(DeadLetter d) {
        try {
            return Envelope.decode(d.body()).withRetriesReset(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                    .encode();
        } catch (Envelope.MalformedException e) {
            return d.body();
        }
    }
}
