package io.taskq.spi;

import java.util.List;
import java.util.Objects;

/**
 * A chord member's completion, handed to the broker with the member's final outcome ({@link Outcome#chordJoin()}).
 * The broker records it under the chord's id, idempotently by member index (a retried, re-run or stale member, or a
 * join sent twice, counts once: the first result recorded stays), and the join that records the last missing
 * member enqueues the callback, exactly once, with every member's result in member order. A failed member's join
 * instead enqueues {@code errbacks} and stores {@code callbackFailure}, once; after either, later joins of the chord
 * change nothing. The chord's state lives with the callback's queue (on Redis under its hash tag), and the results
 * are dropped once the callback's message holds them. See docs/workflows.md.
 *
 * @param chordId         the chord's id
 * @param index           the member's position, 0-based
 * @param size            how many members the chord's header has
 * @param resultJson      the member's result as JSON text ({@code null} text for none); null if the member failed
 * @param callback        the callback's message with its body <em>before</em> the results: the message to enqueue
 *                        has the body {@code callback.body() + "[" + results joined by "," + "]" + resultsSuffix}
 * @param resultsSuffix   the rest of the callback's body after the results list; null if the callback takes no
 *                        results (its body is then {@code callback.body()} as it is)
 * @param errbacks        on a failure: the error callbacks to enqueue (to the callback's queue or one that a
 *                        follow-up of it may go to, see {@link Broker#followUpRefusal}); empty on a success
 * @param callbackFailure on a failure: the FAILURE record to store for the callback, which never runs; else null
 */
public record ChordJoin(String chordId, int index, int size, String resultJson, TaskMessage callback,
                        String resultsSuffix, List<TaskMessage> errbacks, TaskRecord callbackFailure) {
    /** Checks the fields. */
    public ChordJoin {
        Objects.requireNonNull(chordId, "chordId");
        Objects.requireNonNull(callback, "callback");
        errbacks = List.copyOf(errbacks);
        if (size < 1 || index < 0 || index >= size) {
            throw new IllegalArgumentException("chord member " + index + " of " + size);
        }
        if ((resultJson == null) != (callbackFailure != null)) {
            throw new IllegalArgumentException("a chord join has a result or a failure record, not both or neither");
        }
    }

    /** True if the member succeeded. */
    public boolean succeeded() {
        return resultJson != null;
    }

    /** The callback's body once {@code results} (JSON texts in member order) are in. */
    public String callbackBody(List<String> results) {
        if (resultsSuffix == null) {
            return callback.body();
        }
        return callback.body() + "[" + String.join(",", results) + "]" + resultsSuffix;
    }
}
