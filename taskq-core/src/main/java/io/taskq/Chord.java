package io.taskq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Group} and a callback that runs once, after every member has finished, with all their results in member
 * order (Celery's {@code chord}). If a member fails for good or is revoked, the callback does not run: its error
 * callbacks ({@link #linkError}) run once instead, with a {@link TaskFailure} of type {@code taskq.ChordError}
 * naming the member, and the callback's record says FAILURE. Immutable.
 *
 * <pre>{@code
 * ChordHandle<Report> h = taskq.submit(Chord.of(Group.of(prices), Signature.of(Reports::total, "acme"))
 *         .linkError(Signature.of(Alerts::chordFailed, "billing-team")));
 * Report r = h.get(Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Each member's last task joins the chord when it ends; the join is idempotent by member index (a retried or
 * re-run member counts once), and the join that completes the header enqueues the callback in the same broker call,
 * so the callback is never lost and never enqueued twice. See docs/workflows.md.
 *
 * @param <R> the callback's result type
 */
public final class Chord<R> {
    private final Group<?> header;
    private final TaskRequest<R> callback;
    private final boolean takesResults;

    private Chord(Group<?> header, TaskRequest<R> callback, boolean takesResults) {
        this.header = Objects.requireNonNull(header, "header");
        this.callback = Objects.requireNonNull(callback, "callback");
        this.takesResults = takesResults;
    }

    /** A chord whose callback receives the list of the members' results as its last argument. */
    public static <T, R> Chord<R> of(Group<T> header, Signature<? super List<T>, R> callback) {
        CanvasStep s = Objects.requireNonNull(callback, "callback").step();
        @SuppressWarnings("unchecked")
        TaskRequest<R> r = (TaskRequest<R>) s.request();
        return new Chord<>(header, r, true);
    }

    /** A chord whose callback runs as it is (it takes no results) once every member has succeeded. */
    public static <R> Chord<R> of(Group<?> header, TaskRequest<R> callback) {
        return new Chord<>(header, callback, false);
    }

    /** Adds an error callback: run once with the {@link TaskFailure} of the first member that failed. */
    public Chord<R> linkError(Signature<? super TaskFailure, ?> errback) {
        return new Chord<>(header, callback.linkError(errback), takesResults);
    }

    /** Adds an error callback that does not take the failure. */
    public Chord<R> linkError(TaskRequest<?> errback) {
        return new Chord<>(header, callback.linkError(errback), takesResults);
    }

    /** Adds a callback run with the chord callback's result when it succeeds. */
    public Chord<R> link(Signature<? super R, ?> next) {
        return new Chord<>(header, callback.link(next), takesResults);
    }

    /** The header. */
    public Group<?> header() {
        return header;
    }

    /** The callback as a step. */
    CanvasStep callbackStep() {
        return new CanvasStep(callback, takesResults);
    }

    /** The chord as a step of a chain: the callback, with the members as its header. */
    CanvasStep asChainStep() {
        List<CanvasStep> members = new ArrayList<>();
        for (TaskRequest<?> m : header.members()) {
            if (!m.chainRest().isEmpty()) {
                throw new IllegalArgumentException("a chord in a chain takes requests as members, not chains");
            }
            members.add(new CanvasStep(m, false));
        }
        return new CanvasStep(callback, takesResults, members);
    }

    @Override
    public String toString() {
        return "Chord(" + header + ", callback " + callback.taskName() + ")";
    }
}
