package io.taskq;

import com.fasterxml.jackson.databind.JavaType;
import io.taskq.internal.Json;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
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
 * from a queue and an id with {@link Taskq#handle(String, String)}.
 *
 * @param <R> the result type
 */
public final class TaskHandle<R> {
    private final String id;
    private final String queue;
    private final JavaType resultType;
    private final Taskq taskq;

    TaskHandle(String id, String queue, JavaType resultType, Taskq taskq) {
        this.id = Objects.requireNonNull(id);
        this.queue = Objects.requireNonNull(queue);
        this.resultType = resultType;
        this.taskq = taskq;
    }

    /** The task id. */
    public String id() {
        return id;
    }

    /** The queue the task was sent to. */
    public String queue() {
        return queue;
    }

    /** The current state; PENDING while queued, delayed, or unknown. */
    public TaskState state() {
        return taskq.resultBackend().get(queue, id).map(TaskRecord::state).orElse(TaskState.PENDING);
    }

    /** Everything known about the task now. */
    public TaskInfo info() {
        Optional<TaskRecord> r = taskq.resultBackend().get(queue, id);
        if (r.isEmpty()) {
            return new TaskInfo(id, queue, null, TaskState.PENDING, 0, 0, null, null, null, null);
        }
        TaskRecord t = r.get();
        return new TaskInfo(id, queue, t.task(), t.state(), t.retries(), t.attempt(), t.worker(), t.updatedAt(),
                t.error(), t.reason());
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
        CompletableFuture<TaskRecord> f = taskq.resultBackend().awaitFinal(queue, id);
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
        CompletableFuture<TaskRecord> f = taskq.resultBackend().awaitFinal(queue, id);
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
     * renewal; an id not yet known is remembered so that it is revoked on arrival.
     *
     * @return false if the task had already finished
     */
    public boolean revoke() {
        return taskq.broker().revoke(queue, id, "revoked") != RevokeResult.ALREADY_FINISHED;
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
                    return (R) Json.mapper().readValue(r.result(), resultType);
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
        return "TaskHandle[" + queue + "/" + id + "]";
    }
}
