package io.taskq.scheduler.internal;

import io.taskq.Taskq;
import io.taskq.spi.MemoryBroker;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.SchedulerListener;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.internal.EntryCodec.State;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The scheduler's parts wired as {@link SchedulerEngine} wires them, over an in-memory broker and store and a clock
 * the test controls, without the loop's thread: a test drives them directly.
 */
final class Parts implements AutoCloseable {
    static final Duration GRACE = Duration.ofMinutes(1);
    static final Duration LOOKBACK = Duration.ofHours(24);

    final Clock clock;
    final MemoryBroker broker;
    final Taskq taskq;
    final ScheduleStore store;
    final Events events = new Events();
    final Listeners listeners = new Listeners(List.of(events));
    final StoredEntries entries;
    final EntryCache cache;
    final RunSubmitter submitter;
    final RunPublisher publisher;
    final EntryEditor editor;
    final SchedulerEvents schedulerEvents;

    Parts(Clock clock) {
        this(clock, new InMemoryScheduleStore());
    }

    Parts(Clock clock, ScheduleStore store) {
        this.clock = clock;
        this.broker = MemoryBroker.create(clock);
        this.taskq = Taskq.builder().broker(broker).clock(clock).build();
        this.store = store;
        this.entries = new StoredEntries(store);
        this.cache = new EntryCache(store, entries);
        this.submitter = new RunSubmitter(taskq);
        this.schedulerEvents = SchedulerEvents.of(taskq, "me", clock);
        this.publisher = new RunPublisher(store, entries, cache, submitter, taskq,
                new RunPublisher.Rules(GRACE, LOOKBACK), listeners, schedulerEvents);
        this.editor = new EntryEditor(store, entries, clock, new TaskNameCheck(taskq, true), submitter, listeners,
                schedulerEvents);
    }

    /** Stores an entry whose next run is {@code nextRunAt}, as if it had been created earlier (no audit). */
    long put(PeriodicTask d, Instant nextRunAt) {
        Instant created = nextRunAt.minus(Duration.ofDays(1));
        OptionalLong v = store.write(d.name(), EntryCodec.encode(new Entry(d, null, State.created(created, nextRunAt))),
                ScheduleStore.ABSENT, null);
        return v.orElseThrow();
    }

    /** The stored entry, decoded. */
    Entry stored(String name) {
        return EntryCodec.decode(store.entry(name).orElseThrow().json());
    }

    @Override
    public void close() {
        taskq.close();
        broker.close();
        store.close();
    }

    /** What the listeners heard, one line per event. */
    static final class Events implements SchedulerListener {
        final List<String> heard = new ArrayList<>();

        @Override
        public synchronized void leadershipChanged(String instanceId, boolean leader) {
            heard.add("leader " + instanceId + " " + leader);
        }

        @Override
        public synchronized void runPublished(String entry, String runId, Instant dueAt, Instant publishedAt) {
            heard.add("published " + runId);
        }

        @Override
        public synchronized void runsMissed(String entry, Instant from, Instant until,
                                            io.taskq.scheduler.MissedRunPolicy policy) {
            heard.add("missed " + entry + " from " + from);
        }

        @Override
        public synchronized void runSkipped(String entry, Instant dueAt, String runningRunId) {
            heard.add("skipped " + entry + " at " + dueAt);
        }

        @Override
        public synchronized void iterationFailed(Throwable error) {
            heard.add("failed " + error.getMessage());
        }

        synchronized List<String> heard() {
            return List.copyOf(heard);
        }
    }
}
