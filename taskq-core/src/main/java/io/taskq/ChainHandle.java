package io.taskq;

import io.taskq.spi.RevokeResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Follows a submitted {@link Chain}: its id and result are the last step's; {@link #revoke()} revokes every step
 * that has not run yet, including those not enqueued yet (their ids are known from the submit, so each is
 * remembered and revoked on arrival, for the broker's revoke marker retention).
 *
 * @param <R> the last step's result type
 */
public final class ChainHandle<R> {
    private final List<TaskHandle<?>> steps;

    ChainHandle(List<TaskHandle<?>> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The last step's id. */
    public String id() {
        return last().id();
    }

    /** The handles of the steps, in running order (bound to their queues). */
    public List<TaskHandle<?>> steps() {
        return steps;
    }

    /** The handle of the last step, whose result is the chain's. */
    @SuppressWarnings("unchecked")
    public TaskHandle<R> last() {
        return (TaskHandle<R>) steps.get(steps.size() - 1);
    }

    /**
     * Waits for the last step's result. A step that fails stops the chain: the last step then never runs, so this
     * waits until the timeout; {@link #state()} or the steps' handles say where the chain stopped.
     *
     * @throws ResultTimeoutException if the last step has not finished in time
     * @throws TaskFailedException    if the last step failed
     * @throws TaskRevokedException   if the last step was revoked
     */
    public R get(Duration timeout) {
        return last().get(timeout);
    }

    /** The last step's result, as a future. */
    public CompletableFuture<R> future() {
        return last().future();
    }

    /**
     * The chain's state: that of the first step that failed or was revoked, else that of the first step that has
     * not succeeded, else SUCCESS.
     */
    public TaskState state() {
        for (TaskHandle<?> h : steps) {
            TaskState s = h.state();
            if (s != TaskState.SUCCESS) {
                return s;
            }
        }
        return TaskState.SUCCESS;
    }

    /**
     * Revokes every step not run yet (from the last to the first, so a step finishing meanwhile enqueues a step
     * already marked revoked).
     *
     * @return true if a step was removed, signalled or marked to be revoked on arrival; false if every step had
     *         already finished
     */
    public boolean revoke() {
        RevokeResult r = revoke("revoked");
        return r != RevokeResult.ALREADY_FINISHED;
    }

    /**
     * Revokes every step not run yet with a reason, kept in their REVOKED records.
     *
     * @return what happened to the earliest step not finished: REMOVED or SIGNALLED; NOT_FOUND if no step is
     *         enqueued but later ones were marked to be revoked on arrival; ALREADY_FINISHED if every step had
     *         finished
     */
    public RevokeResult revoke(String reason) {
        RevokeResult earliest = RevokeResult.ALREADY_FINISHED;
        for (int i = steps.size() - 1; i >= 0; i--) {
            RevokeResult r = steps.get(i).revoke(reason);
            if (r != RevokeResult.ALREADY_FINISHED) {
                earliest = r;
            }
        }
        return earliest;
    }

    @Override
    public String toString() {
        return "ChainHandle(" + steps.size() + " steps, last " + id() + ")";
    }
}
