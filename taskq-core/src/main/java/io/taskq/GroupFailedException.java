package io.taskq;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Thrown by {@link GroupHandle#get} when members of the group failed or were revoked: every member has finished,
 * some without a result. Carries the results of the members that succeeded (in member order, null where a member
 * failed) and, by member index, the exception each failed member's handle threw ({@link TaskFailedException} or
 * {@link TaskRevokedException}).
 */
public final class GroupFailedException extends TaskqException {
    private static final long serialVersionUID = 1L;

    private final transient List<Object> results;
    private final transient Map<Integer, TaskqException> failures;

    GroupFailedException(String groupId, List<Object> results, Map<Integer, TaskqException> failures) {
        super(failures.size() + " of " + results.size() + " members of group " + groupId + " failed; first: member "
                + failures.keySet().iterator().next() + ": " + failures.values().iterator().next().getMessage());
        this.results = Collections.unmodifiableList(results);
        this.failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    }

    /** The results in member order, null for the members that failed. */
    public List<Object> results() {
        return results;
    }

    /** Per failed member index, what its handle threw. */
    public Map<Integer, TaskqException> failures() {
        return failures;
    }
}
