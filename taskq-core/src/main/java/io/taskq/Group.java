package io.taskq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tasks that run in parallel, followed as one (Celery's {@code group}): {@code taskq.submit(group)} sends every
 * member and returns a {@link GroupHandle} whose results come in member order. Members are requests or chains (a
 * chain member's result is its last step's). With a callback it becomes a {@link Chord}. Immutable.
 *
 * <pre>{@code
 * GroupHandle<Invoice> h = taskq.submit(Group.of(orders.stream()
 *         .map(o -> TaskRequest.of(Billing::price, o)).toList()));
 * List<Invoice> invoices = h.get(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Member ids are derived from the group's id (fixed with {@link #id(String)}, else random), so a group submitted
 * again with the same id sends no member twice. Large groups are sent in batches of {@link #BATCH} members, each
 * one broker call.
 *
 * @param <T> the members' result type
 */
public final class Group<T> {
    /** How many members one broker call sends. */
    public static final int BATCH = 1000;

    private final List<TaskRequest<?>> members;
    private final String id;

    private Group(List<TaskRequest<?>> members, String id) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one member");
        }
        this.members = List.copyOf(members);
        this.id = id;
    }

    /** A group of these requests, in this order. */
    public static <T> Group<T> of(List<? extends TaskRequest<? extends T>> requests) {
        List<TaskRequest<?>> l = new ArrayList<>(requests.size());
        for (TaskRequest<? extends T> r : requests) {
            l.add(Objects.requireNonNull(r, "member"));
        }
        return new Group<>(l, null);
    }

    /** A group of these requests, in this order. */
    @SafeVarargs
    public static <T> Group<T> of(TaskRequest<? extends T>... requests) {
        return of(List.of(requests));
    }

    /** A group of chains, each a member whose result is its last step's (Celery's group of chains). */
    public static <T> Group<T> ofChains(List<? extends Chain<? extends T>> chains) {
        List<TaskRequest<?>> l = new ArrayList<>(chains.size());
        for (Chain<? extends T> c : chains) {
            l.add(Objects.requireNonNull(c, "member").toRequest());
        }
        return new Group<>(l, null);
    }

    /** This group with a fixed id: its members' ids derive from it, so submitting it twice sends it once. */
    public Group<T> id(String id) {
        if (Objects.requireNonNull(id, "id").isBlank()) {
            throw new IllegalArgumentException("the group id is blank");
        }
        return new Group<>(members, id);
    }

    /** A chord: this group, then {@code callback} with every member's result in member order. */
    public <R> Chord<R> then(Signature<? super List<T>, R> callback) {
        return Chord.of(this, callback);
    }

    /** How many members. */
    public int size() {
        return members.size();
    }

    /** The members as requests (a chain member: its first step, carrying the others). */
    List<TaskRequest<?>> members() {
        return members;
    }

    /** The fixed id, or null. */
    String fixedId() {
        return id;
    }

    @Override
    public String toString() {
        return "Group(" + members.size() + " members" + (id == null ? "" : ", id " + id) + ")";
    }
}
