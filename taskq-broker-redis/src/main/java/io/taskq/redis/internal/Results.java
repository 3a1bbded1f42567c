package io.taskq.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.taskq.internal.JsonText;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Task records for the broker's {@code ResultBackend}: plain reads, and waits for a final state woken by the
 * final-state channel ({@link FinalWaiters}, with its watchdog on a background thread of this part's own).
 * Thread-safe.
 */
public final class Results {
    private final Connections conns;
    private final Keys keys;
    private final Partitions partitions;
    private final Clock clock;
    private final ScheduledExecutorService background;
    private final FinalWaiters finalWaiters;

    /** Results of a broker with key prefix {@code prefix} (names its background thread). */
    public Results(Connections conns, Keys keys, Partitions partitions, Clock clock, String prefix) {
        this.conns = conns;
        this.keys = keys;
        this.partitions = partitions;
        this.clock = clock;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "taskq-redis-" + prefix);
            t.setDaemon(true);
            return t;
        });
        this.finalWaiters = new FinalWaiters(conns, keys.finalChannel(), this::read, background);
        background.scheduleWithFixedDelay(finalWaiters::check, 1, 1, TimeUnit.SECONDS);
    }

    /** A task's record, if any and not expired. */
    public Optional<TaskRecord> get(String queue, String id) {
        return Scripts.await(read(queue, id));
    }

    /**
     * Reads a record without blocking. Two plain reads pipelined, no script: the most frequent read (result waits
     * start with one) costs Redis a fraction of a script run. Not atomic, and need not be: whatever runs between the
     * two reads, the answer is a state the record had at some moment between them.
     */
    private CompletableFuture<Optional<TaskRecord>> read(String queue, String id) {
        String[] k = keys.queue(partitions.partitionOf(queue, id));
        var async = conns.async();
        CompletableFuture<Double> expiry = async.zscore(k[Keys.RESX], id).toCompletableFuture();
        CompletableFuture<String> record = async.hget(k[Keys.RES], id).toCompletableFuture();
        return expiry.thenCombine(record, (exp, json) -> {
            if (json == null || (exp != null && exp <= clock.millis())) {
                return Optional.<TaskRecord>empty(); // none, or expired and not trimmed yet
            }
            try {
                return Optional.of(JsonText.readRecord(json));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable record of task " + id + " in queue " + queue, e);
            }
        });
    }

    /** Completes with the task's final record. */
    public CompletableFuture<TaskRecord> awaitFinal(String queue, String id) {
        return finalWaiters.await(queue, id);
    }

    /**
     * Runs a submit: a single one is often awaited next (submit, then get), so it is announced to the waiters,
     * which can then skip their first read; withdrawn if it failed or the task was not new.
     */
    public List<Boolean> submitting(List<TaskMessage> messages, Supplier<List<Boolean>> submit) {
        if (messages.size() != 1) {
            return submit.get();
        }
        TaskMessage m = messages.get(0);
        finalWaiters.submitting(m.queue(), m.id());
        List<Boolean> r;
        try {
            r = submit.get();
        } catch (RuntimeException e) {
            finalWaiters.notSubmitted(m.queue(), m.id());
            throw e;
        }
        if (!r.get(0)) {
            finalWaiters.notSubmitted(m.queue(), m.id());
        }
        return r;
    }

    /** Fails pending waits and stops the background thread. */
    public void close() {
        finalWaiters.close();
        background.shutdownNow();
    }
}
