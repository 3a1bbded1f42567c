package io.taskq;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows one submitted task: its state, its result, and revoking it. Handles are cheap; any process can make one
 * from an id alone with {@link Taskq#handle(String)} (the queue is looked up, once, and kept), or from a queue and
 * an id with {@link Taskq#handle(String, String)} (bound to that queue: a queue that does not know the id answers
 * {@link TaskState#UNKNOWN}).
 *
 * @param <R> the result type
 */
public final class TaskHandle<R> {
    private final String id;
    /** Null until found, for a handle made from an id alone. */
    private volatile String queue;
    private final JavaType resultType;
    private final Taskq taskq;
    private final boolean created;

    TaskHandle(String id, String queue, JavaType resultType, Taskq taskq, boolean created) {
        this.id = Objects.requireNonNull(id);
        this.queue = queue;
        this.resultType = resultType;
        this.taskq = taskq;
        this.created = created;
    }

    /** The task id. */
    public String id() {
        return id;
    }

    /**
     * The queue of the task. For a handle made from an id alone, the queue is looked up (once found it is kept);
     * null while no queue knows the id.
     */
    public String queue() {
        String q = queue;
        return q != null ? q : locate().map(TaskLocation::queue).orElse(null);
    }

    /**
     * True if the submit that returned this handle enqueued the task; false if the queue already knew its id (an
     * explicit id submitted again: the earlier task stands, with its own arguments), and for handles made with
     * {@link Taskq#handle}. A submit with a generated id always says true: nobody else can know that id, so a
     * broker that knew it had it from this very submit (a command the Redis client sent again after a reconnect).
     * With an explicit id, such a re-sent command is indistinguishable from a duplicate and may say false.
     */
    public boolean created() {
        return created;
    }

    /**
     * The current state: PENDING while queued or delayed, UNKNOWN if no queue knows the id (or, for a handle bound to
     * a queue, if that queue does not).
     */
    public TaskState state() {
        return info().state();
    }

    /**
     * The progress the task reported last while it runs ({@link TaskContext#updateState}, Celery's
     * {@code AsyncResult.info} of a custom state); empty when it reported none, or is not running.
     */
    public Optional<TaskProgress> progress() {
        return Optional.ofNullable(info().progress());
    }

    /** Everything known about the task now. */
    public TaskInfo info() {
        String q = queue;
        if (q != null) {
            Optional<TaskRecord> r = taskq.resultBackend().get(q, id);
            if (r.isPresent()) {
                return infoOf(id, q, r.get(), taskq.objectMapper());
            }
            // No record: queued or delayed (no record until claimed), a dead letter whose record expired, or unknown.
            TaskLocation l;
            try {
                l = taskq.broker().locate(q, List.of(id)).get(id);
            } catch (UnsupportedOperationException e) {
                // A broker that cannot look ids up: the answer of old, which cannot tell waiting from unknown.
                return new TaskInfo(id, q, null, TaskState.PENDING, 0, 0, null, null, null, null);
            }
            return l == null ? unknown(id, q) : infoOf(l, taskq.objectMapper());
        }
        return locate().map(l -> infoOf(l, taskq.objectMapper())).orElseGet(() -> unknown(id, null));
    }

    /** Looks the id up in every queue; remembers the queue once found. */
    private Optional<TaskLocation> locate() {
        TaskLocation l = taskq.broker().locate(List.of(id)).get(id);
        if (l != null) {
            queue = l.queue();
        }
        return Optional.ofNullable(l);
    }

    static TaskInfo unknown(String id, String queue) {
        return new TaskInfo(id, queue, null, TaskState.UNKNOWN, 0, 0, null, null, null, null);
    }

    static TaskInfo infoOf(TaskLocation l, ObjectMapper mapper) {
        if (l.record() != null) {
            return infoOf(l.id(), l.queue(), l.record(), mapper);
        }
        TaskState s = l.place() == TaskLocation.Place.RUNNING ? TaskState.RECEIVED : TaskState.PENDING;
        return new TaskInfo(l.id(), l.queue(), l.task(), s, 0, 0, null, null, null, null);
    }

    private static TaskInfo infoOf(String id, String queue, TaskRecord t, ObjectMapper mapper) {
        TaskProgress progress = t.state() == TaskState.STARTED
                ? TaskProgress.of(t.progress(), t.updatedAt(), mapper).orElse(null) : null;
        return new TaskInfo(id, queue, t.task(), t.state(), t.retries(), t.attempt(), t.worker(), t.updatedAt(),
                t.error(), t.reason(), progress, t.rootId(), t.parentId());
    }

    /** True once the task is SUCCESS, FAILURE or REVOKED. */
    public boolean isDone() {
        return state().isFinal();
    }

    /**
     * Waits for the task to finish and returns its result.
     *
     * @throws TaskFailedException    if it ended in FAILURE (the cause carries the remote error)
     * @throws TaskRevokedException   if it was revoked or expired
     * @throws ResultTimeoutException if it did not finish within {@code timeout}, also when the broker does not
     *                                answer: the wait ends at the timeout (plus a moment to read the state for the
     *                                message)
     */
    public R get(Duration timeout) {
        CompletableFuture<TaskRecord> f = awaitFinal();
        TaskRecord r;
        try {
            r = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new ResultTimeoutException("task " + id + " did not finish within " + timeout + " ("
                    + stateForMessage() + ")");
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new TaskqException("interrupted while waiting for task " + id, e);
        } catch (ExecutionException | CancellationException e) {
            throw new TaskqException("waiting for task " + id + " failed", e);
        }
        return resultOf(r);
    }

    /**
     * The result as a future, completed without polling when the task finishes: normally with the result, or
     * exceptionally with a {@link TaskFailedException} or {@link TaskRevokedException}.
     */
    public CompletableFuture<R> future() {
        CompletableFuture<TaskRecord> f = awaitFinal();
        CompletableFuture<R> out = f.thenApply(this::resultOf);
        // Cancelling the view releases the backend's waiter too.
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                f.cancel(false);
            }
        });
        return out;
    }

    /**
     * Revokes the task: a queued or delayed task is removed; a running one is interrupted at its worker's next lease
     * renewal; an id its queue does not know yet is remembered (for the broker's revoke marker retention) so that it
     * is revoked on arrival.
     *
     * @return true if the task was found and removed or signalled; false if it had already finished or was not found
     *         (see {@link #revoke(String)} for which)
     */
    public boolean revoke() {
        return revoke("revoked").found();
    }

    /**
     * Revokes the task with a reason (kept in its REVOKED record) and says what happened. A handle made from an id
     * alone revokes in the queue that knows the id; if none does, nothing is remembered and the answer is
     * {@link RevokeResult#NOT_FOUND} (to revoke an id ahead of its submit, use a handle bound to its queue). A chord
     * member still waiting in its queue stays there, marked, and ends REVOKED at the worker that takes it, so that its
     * chord's error path runs ({@link RevokeResult#SIGNALLED}; docs/workflows.md).
     */
    public RevokeResult revoke(String reason) {
        Objects.requireNonNull(reason, "reason");
        String q = queue();
        return q == null ? RevokeResult.NOT_FOUND : taskq.broker().revoke(q, id, reason);
    }

    /**
     * The backend's wait for the final record. For a handle made from an id alone that no queue knows yet (it may
     * be submitted later), the id is looked up again, every second at most, until a queue knows it.
     */
    private CompletableFuture<TaskRecord> awaitFinal() {
        String q = queue();
        if (q != null) {
            return taskq.resultBackend().awaitFinal(q, id);
        }
        CompletableFuture<TaskRecord> out = new CompletableFuture<>();
        awaitArrival(out, 50);
        return out;
    }

    private void awaitArrival(CompletableFuture<TaskRecord> out, long delayMs) {
        CompletableFuture.runAsync(() -> {
            if (out.isDone()) {
                return;
            }
            String q;
            try {
                q = queue();
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
                return;
            }
            if (q == null) {
                awaitArrival(out, Math.min(1000, delayMs * 2));
                return;
            }
            CompletableFuture<TaskRecord> f = taskq.resultBackend().awaitFinal(q, id);
            out.whenComplete((v, e) -> {
                if (out.isCancelled()) {
                    f.cancel(false);
                }
            });
            f.whenComplete((v, e) -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(v);
                }
            });
        }, CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
    }

    /** How long a timed-out {@link #get} waits for the task's state to put in its message. */
    private static final long STATE_READ_MS = 250;

    /**
     * The state for a timeout's message, read on a thread of its own so that a broker that does not answer (the
     * likely reason for the timeout) delays the caller by {@link #STATE_READ_MS} at most.
     */
    private String stateForMessage() {
        CompletableFuture<TaskState> s = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                s.complete(state());
            } catch (RuntimeException e) {
                s.completeExceptionally(e);
            }
        }, "taskq-state-" + id);
        t.setDaemon(true);
        t.start();
        try {
            return "state " + s.get(STATE_READ_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "state unknown";
        } catch (ExecutionException | TimeoutException e) {
            return "state unknown: the broker did not answer";
        }
    }

    @SuppressWarnings("unchecked")
    private R resultOf(TaskRecord r) {
        switch (r.state()) {
            case SUCCESS:
                if (r.result() == null || resultType == null || resultType.getRawClass() == Void.class
                        || resultType.getRawClass() == void.class) {
                    return null;
                }
                try {
                    return (R) taskq.data().read(r.result(), resultType);
                } catch (Exception e) {
                    throw new CompletionException(new TaskqException("result of task " + id + " cannot be decoded as "
                            + resultType.toCanonical() + ": " + e.getMessage(), e));
                }
            case FAILURE:
                throw new TaskFailedException(id, r.error() != null ? r.error()
                        : new TaskError("taskq.Unknown", r.reason(), ""));
            case REVOKED:
                throw new TaskRevokedException(id, r.reason() == null ? "revoked" : r.reason());
            default:
                throw new IllegalStateException("not final: " + r.state());
        }
    }

    @Override
    public String toString() {
        String q = queue;
        return "TaskHandle[" + (q == null ? "?" : q) + "/" + id + "]";
    }
}
