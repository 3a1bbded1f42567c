package io.taskq.internal;

import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.QueueStats;
import io.taskq.internal.MemoryState.Job;
import io.taskq.internal.MemoryState.Queue;
import io.taskq.internal.MemoryState.Stored;
import io.taskq.internal.MemoryState.Where;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The in-memory broker's queue administration: counts, listings and dead letters, under the broker's lock. */
final class InMemoryAdmin implements QueueAdmin {
    private final MemoryState s;

    InMemoryAdmin(MemoryState state) {
        this.s = state;
    }

    @Override
    public Set<String> queues() {
        s.lock.lock();
        try {
            return Collections.unmodifiableSet(new TreeSet<>(s.registered));
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public QueueStats stats(String queueName) {
        s.lock.lock();
        try {
            Queue q = s.queue(queueName);
            s.reap(q, s.clock.instant());
            long inFlight = q.jobs.values().stream().filter(j -> j.where == Where.IN_FLIGHT).count();
            return new QueueStats(queueName, q.ready.size(), q.delayed.size(), inFlight, q.dead.size(),
                    oldestReadyAge(q, s.clock.instant()));
        } finally {
            s.lock.unlock();
        }
    }

    /** The oldest of the heads of the priority bands (see QueueStats.oldestReadyAge), as the Redis broker reads it. */
    private static Duration oldestReadyAge(Queue q, Instant now) {
        Duration oldest = Duration.ZERO;
        Job head = q.ready.isEmpty() ? null : q.ready.first();
        while (head != null) {
            Duration age = ReadyAge.age(now, ReadyAge.since(head.body));
            oldest = age.compareTo(oldest) > 0 ? age : oldest;
            head = q.ready.higher(lastOfBand(head.priority)); // the head of the next lower band
        }
        return oldest;
    }

    /** A probe that sorts after every ready task of a priority band. */
    private static Job lastOfBand(int priority) {
        return new Job(new TaskMessage("~", "~", "~", priority, null, ""), Long.MAX_VALUE);
    }

    @Override
    public TaskPage tasks(String queueName, TaskLocation.Place place, TaskPage.Order order, int limit,
                          String cursor) {
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(order, "order");
        int offset = Paging.offset(cursor, limit);
        s.lock.lock();
        try {
            s.checkOpen();
            Queue q = s.queues.get(queueName);
            List<TaskSummary> all = q == null ? List.of() : summaries(q, queueName, place, s.clock.instant());
            if (order == TaskPage.Order.NEWEST_FIRST) {
                Collections.reverse(all);
            }
            int to = (int) Math.min(all.size(), (long) offset + limit);
            return new TaskPage(offset >= all.size() ? List.of() : all.subList(offset, to),
                    to < all.size() ? Integer.toString(to) : null);
        } finally {
            s.lock.unlock();
        }
    }

    /** Every task of a place, oldest first (see TaskPage.Order). */
    private List<TaskSummary> summaries(Queue q, String name, TaskLocation.Place place, Instant now) {
        List<TaskSummary> out = new ArrayList<>();
        switch (place) {
            case QUEUED -> q.ready.forEach(j -> out.add(summary(q, j, place, null, now)));
            case DELAYED -> q.delayed.forEach(j -> out.add(summary(q, j, place, j.due, now)));
            case RUNNING -> q.jobs.values().stream().filter(j -> j.where == Where.IN_FLIGHT)
                    .sorted(Comparator.<Job, Instant>comparing(j -> j.leaseUntil).thenComparing(j -> j.id))
                    .forEach(j -> out.add(summary(q, j, place, j.leaseUntil, now)));
            case FINISHED -> q.records.values().stream()
                    .filter(st -> st.record().state().isFinal() && now.isBefore(st.expiresAt()))
                    .sorted(Comparator.comparing(Stored::expiresAt).thenComparing(st -> st.record().id()))
                    .forEach(st -> out.add(new TaskSummary(st.record().id(), name, place, st.record().task(), null,
                            st.expiresAt(), st.record())));
            case DEAD -> q.dead.values().forEach(d -> out.add(new TaskSummary(d.id(), name, place, d.task(),
                    q.deadPriority.get(d.id()), d.deadAt(), s.deadRecord(q, d, now))));
            default -> throw new IllegalArgumentException("unknown place " + place);
        }
        return out;
    }

    private TaskSummary summary(Queue q, Job j, TaskLocation.Place place, Instant at, Instant now) {
        TaskRecord r = s.liveRecord(q, j.id, now);
        return new TaskSummary(j.id, j.queue, place, j.task, j.priority, at, r, j.lineage.rootId());
    }

    @Override
    public List<DeadLetter> deadLetters(String queueName, int limit) {
        s.lock.lock();
        try {
            List<DeadLetter> all = new ArrayList<>(s.queue(queueName).dead.values());
            Collections.reverse(all);
            return List.copyOf(all.subList(0, Math.min(limit, all.size())));
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queueName, String id) {
        s.lock.lock();
        try {
            return Optional.ofNullable(s.queue(queueName).dead.get(id));
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public boolean resubmitDeadLetter(String queueName, String id, String newBody) {
        s.lock.lock();
        try {
            s.checkOpen();
            Queue q = s.queue(queueName);
            DeadLetter d = q.dead.remove(id);
            if (d == null) {
                return false;
            }
            q.records.remove(id);
            int priority = q.deadPriority.getOrDefault(id, 4);
            q.deadPriority.remove(id);
            Job j = new Job(new TaskMessage(id, queueName, d.task() == null ? "?" : d.task(), priority, null, newBody),
                    ++s.seq);
            j.where = Where.READY;
            q.jobs.put(id, j);
            q.ready.add(j);
            s.changed.signalAll();
            return true;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public boolean deleteDeadLetter(String queueName, String id) {
        s.lock.lock();
        try {
            Queue q = s.queue(queueName);
            q.deadPriority.remove(id);
            return q.dead.remove(id) != null;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public Optional<String> messageBody(String queueName, String id) {
        s.lock.lock();
        try {
            Job j = s.queue(queueName).jobs.get(id);
            return j == null ? Optional.empty() : Optional.ofNullable(j.body);
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public long purgeDeadLetters(String queueName) {
        s.lock.lock();
        try {
            Queue q = s.queue(queueName);
            long n = q.dead.size();
            q.dead.clear();
            q.deadPriority.clear();
            return n;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public long purge(String queueName) {
        s.lock.lock();
        try {
            s.checkOpen();
            Queue q = s.queue(queueName);
            s.promote(q, s.clock.instant()); // due delayed tasks are ready tasks, as a claim would see them
            long n = q.ready.size();
            for (Job j : q.ready) {
                q.jobs.remove(j.id);
                q.records.remove(j.id);
            }
            q.ready.clear();
            return n;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public DeadLetterPage findDeadLetters(String queueName, DeadLetterFilter filter, int limit, String cursor) {
        Objects.requireNonNull(filter, "filter");
        DeadLetterCursor.checkLimit(limit);
        DeadLetterCursor from = DeadLetterCursor.parse(cursor);
        s.lock.lock();
        try {
            Instant now = s.clock.instant();
            List<DeadLetter> sorted = new ArrayList<>(s.queue(queueName).dead.values());
            sorted.sort(DEAD_ORDER);
            List<DeadLetter> out = new ArrayList<>();
            int scanned = 0;
            DeadLetter last = null;
            for (DeadLetter d : sorted) {
                if (from != null && compare(d, from) <= 0) {
                    continue;
                }
                if (scanned == MAX_SCAN || out.size() == limit) {
                    return new DeadLetterPage(out, new DeadLetterCursor(last.deadAt().toEpochMilli(), last.id())
                            .text());
                }
                scanned++;
                last = d;
                if (filter.matches(d, now)) {
                    out.add(d);
                }
            }
            return new DeadLetterPage(out, null);
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public long deleteDeadLetters(String queueName, DeadLetterFilter filter, long limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        s.lock.lock();
        try {
            Queue q = s.queue(queueName);
            Instant now = s.clock.instant();
            List<DeadLetter> sorted = new ArrayList<>(q.dead.values());
            sorted.sort(DEAD_ORDER);
            long n = 0;
            for (DeadLetter d : sorted) {
                if (n == limit) {
                    break;
                }
                if (filter.matches(d, now)) {
                    q.dead.remove(d.id());
                    q.deadPriority.remove(d.id());
                    n++;
                }
            }
            return n;
        } finally {
            s.lock.unlock();
        }
    }

    /** Dead letters by time, then id: the order of a search (and of the Redis broker's dead set). */
    private static final Comparator<DeadLetter> DEAD_ORDER = Comparator
            .<DeadLetter>comparingLong(d -> d.deadAt().toEpochMilli()).thenComparing(DeadLetter::id);

    private static int compare(DeadLetter d, DeadLetterCursor c) {
        int byTime = Long.compare(d.deadAt().toEpochMilli(), c.deadAtMs());
        return byTime != 0 ? byTime : d.id().compareTo(c.id());
    }
}
