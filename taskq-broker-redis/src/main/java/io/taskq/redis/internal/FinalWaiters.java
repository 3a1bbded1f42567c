package io.taskq.redis.internal;

import io.taskq.internal.Json;
import io.taskq.internal.JsonText;
import io.taskq.spi.TaskRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Futures waiting for tasks to reach a final state, woken by the scripts' notifications on one pub/sub channel
 * per prefix. One shared subscription serves every waiter of this broker. A waiter subscribes first and reads the
 * record second, so a task finishing in between is never missed; after a reconnect (notifications may have been
 * lost while disconnected) every waiter reads its record again.
 *
 * <p>The read is skipped for a task this broker submitted while already listening ({@link #submitting}): its
 * final notification is published after the submit ran, so it is received, either after the waiter registered
 * or before, in which case it was kept for it. A gap in listening (reconnect, replaced connection) makes every
 * registered waiter read, as above, and every submit from before the gap read when awaited.
 */
public final class FinalWaiters {
    private static final Logger log = LoggerFactory.getLogger(FinalWaiters.class);

    private final BiFunction<String, String, CompletableFuture<Optional<TaskRecord>>> reader;
    private final Executor executor;
    private final Map<String, List<CompletableFuture<TaskRecord>>> waiters = new ConcurrentHashMap<>();
    private final WatchedSubscription subscription;
    /** Tasks submitted here while listening, by key: when their submit was sent (System.nanoTime). */
    private final Map<String, Long> submitted = new ConcurrentHashMap<>();
    /** Final records of such tasks that arrived before anyone waited for them. */
    private final Map<String, TaskRecord> unclaimed = new ConcurrentHashMap<>();
    /** Bound of both maps (submits nobody waits for, finals nobody asks for): past it they start over. */
    private static final int REMEMBERED = 10_000;

    /**
     * @param conns     opens and closes the subscription connection
     * @param channel  the notification channel
     * @param reader   reads a record (queue, id) without blocking
     * @param executor runs re-checks off the I/O threads
     */
    public FinalWaiters(Connections conns, String channel,
                        BiFunction<String, String, CompletableFuture<Optional<TaskRecord>>> reader,
                        Executor executor) {
        this.reader = reader;
        this.executor = executor;
        this.subscription = new WatchedSubscription(conns, channel, this::onMessage,
                () -> {
                    try {
                        executor.execute(this::recheckAll);
                    } catch (RejectedExecutionException e) {
                        // closing
                    }
                }, "result notification subscription");
    }

    private static String key(String queue, String id) {
        return queue + '\u0000' + id;
    }

    /** Watchdog, called about once a second: see {@link WatchedSubscription#check()}. */
    public void check() {
        subscription.check();
    }

    /**
     * Says that this broker is about to send the submit of a task, so that a later {@link #await} of it may skip
     * its read: only if the notification channel is heard already (a submit sent before that must be read).
     */
    public void submitting(String queue, String id) {
        if (subscription.listeningSince() == Long.MAX_VALUE) {
            return;
        }
        if (submitted.size() >= REMEMBERED) {
            submitted.clear(); // those tasks' waits read their records: slower, not wrong
        }
        submitted.put(key(queue, id), System.nanoTime());
    }

    /** The submit announced by {@link #submitting} did not enqueue the task (a known id): its wait must read. */
    public void notSubmitted(String queue, String id) {
        submitted.remove(key(queue, id));
    }

    /**
     * A future completed with the record once it is final; see ResultBackend#awaitFinal. Never blocks: whatever
     * waits for Redis (subscribing, reading) completes the future later, so that the caller's own timeout bounds its
     * wait even when Redis does not answer.
     */
    public CompletableFuture<TaskRecord> await(String queue, String id) {
        CompletableFuture<TaskRecord> f = new CompletableFuture<>();
        String k = key(queue, id);
        waiters.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).add(f);
        f.whenComplete((v, e) -> remove(k, f));
        // Registered first, then looked up: a notification handled meanwhile either finds this waiter or was kept.
        TaskRecord early = unclaimed.remove(k);
        if (early != null) {
            f.complete(early);
            return f;
        }
        Long sent = submitted.get(k);
        long since = subscription.listeningSince();
        if (sent != null && since != Long.MAX_VALUE && sent - since > 0) {
            return f; // heard since before the submit: the notification comes
        }
        if (since != Long.MAX_VALUE) {
            read(f, queue, id);
            return f;
        }
        // Subscribing waits for Redis (connect, SUBSCRIBE): done off the caller's thread, then the read.
        try {
            executor.execute(() -> {
                try {
                    subscription.open();
                    read(f, queue, id);
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("broker is closed"));
        }
        return f;
    }

    /** Completes {@code f} with the record if it is final already; a failed read fails {@code f}. */
    private void read(CompletableFuture<TaskRecord> f, String queue, String id) {
        try {
            reader.apply(queue, id).whenComplete((r, e) -> {
                if (e != null) {
                    f.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                            && e.getCause() != null ? e.getCause() : e);
                } else {
                    r.filter(x -> x.state().isFinal()).ifPresent(f::complete);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }

    private void remove(String k, CompletableFuture<TaskRecord> f) {
        submitted.remove(k);
        waiters.computeIfPresent(k, (x, list) -> {
            list.remove(f);
            return list.isEmpty() ? null : list;
        });
    }

    /** How many futures wait (for tests and metrics). */
    public int size() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }

    private void onMessage(String message) {
        if (waiters.isEmpty() && submitted.isEmpty()) {
            return;
        }
        int start = 0;
        while (start < message.length()) {
            int end = message.indexOf('\n', start);
            if (end < 0) {
                end = message.length();
            }
            String json = message.substring(start, end);
            start = end + 1;
            try {
                TaskRecord r = JsonText.readRecord(json);
                if (!r.state().isFinal()) {
                    continue;
                }
                String k = key(r.queue(), r.id());
                // Kept before waiters are looked at, and kept before it stops counting as submitted: a waiter
                // registering meanwhile (it looks at the kept ones first, then at the submitted ones) finds one or
                // the other, never neither (which would cost it a read).
                if (submitted.containsKey(k)) {
                    if (unclaimed.size() >= REMEMBERED) {
                        unclaimed.clear(); // finals nobody asked for; a later wait for one reads its record
                    }
                    unclaimed.put(k, r);
                    submitted.remove(k);
                }
                List<CompletableFuture<TaskRecord>> ws = waiters.get(k);
                if (ws != null) {
                    ws.forEach(f -> f.complete(r));
                    unclaimed.remove(k);
                }
            } catch (Exception e) {
                log.warn("unreadable final-state notification ignored: {}", e.toString());
            }
        }
    }

    private void recheckAll() {
        for (String k : waiters.keySet()) {
            int sep = k.indexOf('\u0000');
            String queue = k.substring(0, sep);
            String id = k.substring(sep + 1);
            try {
                Optional<TaskRecord> r = reader.apply(queue, id).join().filter(x -> x.state().isFinal());
                if (r.isPresent()) {
                    List<CompletableFuture<TaskRecord>> ws = waiters.get(k);
                    if (ws != null) {
                        ws.forEach(f -> f.complete(r.get()));
                    }
                }
            } catch (RuntimeException e) {
                log.debug("re-check of {} after reconnect failed: {}", id, e.toString());
            }
        }
    }

    /** Cancels every waiter and closes the subscription. */
    public void close() {
        subscription.close();
        waiters.values().forEach(ws -> ws.forEach(f -> f.cancel(false)));
        waiters.clear();
    }
}
