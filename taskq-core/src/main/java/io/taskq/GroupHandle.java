package io.taskq;

import io.taskq.spi.RevokeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows a submitted {@link Group}: one handle per member in member order (a chain member's handle is its last
 * step's), their results in that order, their states, and a revoke of all of them.
 *
 * @param <T> the members' result type
 */
public final class GroupHandle<T> {
    private final String id;
    private final List<TaskHandle<T>> members;

    GroupHandle(String id, List<TaskHandle<T>> members) {
        this.id = id;
        this.members = List.copyOf(members);
    }

    /** The group's id (the members' ids derive from it). */
    public String id() {
        return id;
    }

    /** How many members. */
    public int size() {
        return members.size();
    }

    /** The members' handles, in member order. */
    public List<TaskHandle<T>> members() {
        return members;
    }

    /**
     * Waits for every member and returns their results in member order.
     *
     * @throws GroupFailedException   if members failed or were revoked (once every member has finished); it holds
     *                                the other members' results and each failure
     * @throws ResultTimeoutException if a member has not finished within {@code timeout} (counted for the whole
     *                                group)
     */
    @SuppressWarnings("unchecked")
    public List<T> get(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<Object> results = new ArrayList<>(members.size());
        Map<Integer, TaskqException> failures = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            Duration left = Duration.between(Instant.now(), deadline);
            try {
                results.add(members.get(i).get(left.isNegative() ? Duration.ZERO : left));
            } catch (TaskFailedException | TaskRevokedException e) {
                results.add(null);
                failures.put(i, e);
            }
        }
        if (!failures.isEmpty()) {
            throw new GroupFailedException(id, results, failures);
        }
        return (List<T>) results;
    }

    /** Each member's state, in member order (one lookup per member). */
    public List<TaskState> states() {
        List<TaskState> out = new ArrayList<>(members.size());
        for (TaskHandle<T> h : members) {
            out.add(h.state());
        }
        return out;
    }

    /** True if every member has finished (succeeded, failed or been revoked). */
    public boolean isDone() {
        for (TaskHandle<T> h : members) {
            if (!h.state().isFinal()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Revokes every member that has not finished.
     *
     * @return true unless every member had already finished
     */
    public boolean revoke() {
        boolean any = false;
        for (TaskHandle<T> h : members) {
            any |= h.revoke("revoked") != RevokeResult.ALREADY_FINISHED;
        }
        return any;
    }

    @Override
    public String toString() {
        return "GroupHandle(" + id + ", " + members.size() + " members)";
    }
}
