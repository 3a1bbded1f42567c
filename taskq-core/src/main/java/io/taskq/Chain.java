package io.taskq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tasks that run one after the other, each step's result appended to the next step's arguments (Celery's
 * {@code chain}). A step that fails for good stops the chain and fires the chain's error callbacks; a revoked step
 * stops it too. Immutable: every method returns a new chain.
 *
 * <pre>{@code
 * ChainHandle<Report> h = taskq.submit(Chain.of(TaskRequest.of(Orders::load, orderId))  // -> Order
 *         .then(Signature.of(Invoices::price))                                          // Order -> Invoice
 *         .then(Signature.of(Reports::build, "acme"))                                   // (customer, Invoice) -> Report
 *         .linkError(Signature.of(Alerts::chainFailed, "acme")));                       // (customer, TaskFailure)
 * Report r = h.get(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>The worker that finishes a step enqueues the next one atomically with the finish, so no step is lost or run
 * twice (see docs/workflows.md). Every step's id is fixed at submit, derived from the first one's.
 *
 * @param <R> the result type of the last step
 */
public final class Chain<R> {
    private final TaskRequest<?> first;
    private final List<CanvasStep> rest;
    private final List<CanvasStep> callbacks;
    private final List<CanvasStep> errbacks;

    private Chain(TaskRequest<?> first, List<CanvasStep> rest, List<CanvasStep> callbacks,
                  List<CanvasStep> errbacks) {
        this.first = first;
        this.rest = List.copyOf(rest);
        this.callbacks = List.copyOf(callbacks);
        this.errbacks = List.copyOf(errbacks);
    }

    /** A chain that starts with {@code first}, with all its arguments (and options, id, callbacks). */
    public static <R> Chain<R> of(TaskRequest<R> first) {
        return new Chain<>(Objects.requireNonNull(first, "first"), List.of(), List.of(), List.of());
    }

    /** Appends a step that receives this chain's result as its last argument. */
    public <N> Chain<N> then(Signature<? super R, N> next) {
        return new Chain<>(first, plus(rest, List.of(Objects.requireNonNull(next, "next").step())), callbacks,
                errbacks);
    }

    /** Appends a step that runs as it is once this chain has succeeded (it does not receive the result). */
    public <N> Chain<N> then(TaskRequest<N> next) {
        return new Chain<>(first, plus(rest, List.of(new CanvasStep(Objects.requireNonNull(next, "next"), false))),
                callbacks, errbacks);
    }

    /**
     * Appends another chain's steps (nesting, flattened as Celery does): its first step runs as it is once this
     * chain has succeeded; its own callbacks and error callbacks stay with its steps.
     */
    public <N> Chain<N> then(Chain<N> next) {
        return new Chain<>(first, plus(rest, Objects.requireNonNull(next, "next").steps(false)), callbacks,
                errbacks);
    }

    /**
     * Appends a chord (Celery's {@code chain(a, group(...), b)}, which becomes a chord): its header's members run
     * once this chain has succeeded (as they are: they do not take its result), then its callback with their
     * results; the chain goes on from the callback. The members are follow-ups of the step before, so on a Redis
     * Cluster they go to its slot; the callback goes anywhere.
     */
    public <N> Chain<N> then(Chord<N> chord) {
        return new Chain<>(first, plus(rest, List.of(Objects.requireNonNull(chord, "chord").asChainStep())),
                callbacks, errbacks);
    }

    /** Adds a callback run with the last step's result when the whole chain has succeeded. */
    public Chain<R> link(Signature<? super R, ?> callback) {
        return new Chain<>(first, rest, plus(callbacks, List.of(Objects.requireNonNull(callback, "callback")
                .step())), errbacks);
    }

    /** Adds a callback that does not take the result, run once the whole chain has succeeded. */
    public Chain<R> link(TaskRequest<?> callback) {
        return new Chain<>(first, rest, plus(callbacks, List.of(new CanvasStep(Objects.requireNonNull(callback,
                "callback"), false))), errbacks);
    }

    /** Adds an error callback, run once with the {@link TaskFailure} of the step that failed (if one does). */
    public Chain<R> linkError(Signature<? super TaskFailure, ?> errback) {
        return new Chain<>(first, rest, callbacks, plus(errbacks, List.of(Objects.requireNonNull(errback,
                "errback").step())));
    }

    /** Adds an error callback that does not take the failure, run once if a step fails. */
    public Chain<R> linkError(TaskRequest<?> errback) {
        return new Chain<>(first, rest, callbacks, plus(errbacks, List.of(new CanvasStep(
                Objects.requireNonNull(errback, "errback"), false))));
    }

    /** The number of steps. */
    public int size() {
        return 1 + rest.size();
    }

    /**
     * The steps in running order with the chain's callbacks on the last and its error callbacks on every one; the
     * first takes the previous result if {@code firstTakesResult}.
     */
    List<CanvasStep> steps(boolean firstTakesResult) {
        List<CanvasStep> all = new ArrayList<>(size());
        all.add(new CanvasStep(first, firstTakesResult));
        all.addAll(rest);
        for (int i = 0; i < all.size(); i++) {
            TaskRequest<?> r = all.get(i).request();
            for (CanvasStep e : errbacks) {
                r = r.withErrback(e);
            }
            if (i == all.size() - 1) {
                for (CanvasStep c : callbacks) {
                    r = r.withCallback(c);
                }
            }
            all.set(i, all.get(i).with(r));
        }
        return all;
    }

    /** The request to submit: the first step, carrying the others. */
    TaskRequest<?> toRequest() {
        List<CanvasStep> all = steps(false);
        return all.get(0).request().withChainRest(all.subList(1, all.size()));
    }

    private static List<CanvasStep> plus(List<CanvasStep> a, List<CanvasStep> b) {
        List<CanvasStep> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    @Override
    public String toString() {
        return "Chain(" + size() + " steps, first " + first.taskName() + ")";
    }
}
