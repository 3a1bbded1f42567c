package io.taskq.internal;

import io.taskq.spi.ChordJoin;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The in-memory broker's chord states (docs/workflows.md): per chord, the results recorded by member index, how many
 * there are, and whether the chord has fired. Joins are applied under the broker's lock with the outcome they come
 * with, so the join that completes the header enqueues the callback atomically with its member's finish, as the
 * Redis scripts do. A state is dropped {@link MemoryState#RESULT_TTL} after its last join, as its results would
 * expire; a fired one is kept that long (as a marker without results) so that late joins stay no-ops.
 */
final class InMemoryChords {
    private static final Duration KEPT = MemoryState.RESULT_TTL;

    private static final class State {
        String[] results;
        int count;
        boolean fired;
        Instant expiresAt;
    }

    private final Map<String, State> chords = new HashMap<>();
    private int joins;

    /** Applies one join under the caller's lock; enqueues the callback or the error path through {@code s}. */
    void join(MemoryState s, ChordJoin j, Instant now) {
        if ((++joins & 255) == 0) {
            expire(now);
        }
        State st = chords.computeIfAbsent(j.chordId(), k -> new State());
        if (st.expiresAt != null && !st.expiresAt.isAfter(now)) {
            st = new State();
            chords.put(j.chordId(), st);
        }
        st.expiresAt = now.plus(KEPT);
        if (st.fired) {
            return;
        }
        if (!j.succeeded()) {
            st.fired = true;
            st.results = null;
            for (TaskMessage m : j.errbacks()) {
                s.enqueue(m, now);
            }
            s.store(s.queue(j.callback().queue()), j.callbackFailure(), now);
            return;
        }
        if (st.results == null) {
            st.results = new String[j.size()];
        }
        if (j.index() >= st.results.length || st.results[j.index()] != null) {
            return; // counted already (a retry, a re-run, a duplicate), or a member beyond the first join's size
        }
        st.results[j.index()] = j.resultJson();
        if (++st.count < st.results.length) {
            return;
        }
        st.fired = true;
        TaskMessage cb = j.callback();
        String body = j.callbackBody(Arrays.asList(st.results));
        st.results = null;
        s.enqueue(new TaskMessage(cb.id(), cb.queue(), cb.task(), cb.priority(), cb.eta(), body), now);
    }

    private void expire(Instant now) {
        for (Iterator<State> it = chords.values().iterator(); it.hasNext(); ) {
            if (!it.next().expiresAt.isAfter(now)) {
                it.remove();
            }
        }
    }
}
