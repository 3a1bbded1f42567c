package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Task;
import io.taskq.TaskContext;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's high availability on a real Redis: three application instances, each with its own
 * {@link RedisBroker} (broker and lease store) and its own {@link RedisScheduleStore}, one key prefix, one Redis,
 * the real clock. The leader is killed (its Redis connections closed abruptly, its lease never released), once
 * right after publishing a run and before saving the entry's state, once between runs; every due run is still
 * published exactly once and executed exactly once. Run-time edits through a follower reach the leader through
 * the store's notifications; two prefixes never see each other.
 */
class RedisSchedulerHaTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration EVERY = Duration.ofMillis(200);
    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final String LEASE_NAME = "taskq.scheduler";

    private static RedisTestServer server;

    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final Ledger ledger = new Ledger();
    private final Tasks tasks = new Tasks();

    @BeforeAll
    static void startRedis() {
        server = RedisTestServer.start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @AfterEach
    void closeAll() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private static String freshPrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    void leaderKilledMidRunEveryDueRunPublishedAndExecutedExactlyOnce() {
        String prefix = freshPrefix("ha");
        List<Instance> alive = threeInstances(prefix);
        startWorker(prefix);
        Instance leader = awaitLeader(alive);
        Instant first = addTick(alive.get(0));
        awaitRunsAfter("tick", first, 5);

        // Kill 1, mid-run: the leader dies right after the broker accepted a run and before it saved the entry's
        // state, so the next leader finds that run still due and publishes its id again.
        Instance killed = leader;
        String interrupted = killMidRun(killed);
        alive.remove(killed);
        assertEquals(Optional.of(killed.id), alive.get(0).broker.holder(LEASE_NAME),
                "a dead leader keeps the lease until it expires");
        leader = awaitLeader(alive);
        assertNotEquals(killed, leader);
        Await.until(WAIT, "the interrupted run " + interrupted + " was attempted again by the new leader",
                () -> ledger.attempts(interrupted) >= 2);
        awaitRunsAfter("tick", Instant.now(), 3);

        // Kill 2, between runs, from outside: connections cut, no release.
        Instance killed2 = leader;
        long killed2At = System.currentTimeMillis();
        killed2.kill();
        alive.remove(killed2);
        assertEquals(Optional.of(killed2.id), alive.get(0).broker.holder(LEASE_NAME));
        Instance last = awaitLeader(alive);
        assertNotEquals(killed2, last);
        awaitRunsAfter("tick", Instant.now(), 5);

        // Stop the last scheduler gracefully: from now on the published set is final.
        last.scheduler.close();
        PeriodicTaskInfo info = last.scheduler.entry("tick").orElseThrow();
        List<String> due = idsBetween("tick", first, info.nextRunAt());
        assertTrue(due.size() >= 20, "runs: " + due.size());

        // Published exactly once: every due id from the first to the last was accepted once by the broker, and no
        // other id, however many attempts (the interrupted run was attempted twice).
        Map<String, Integer> want = new TreeMap<>();
        due.forEach(id -> want.put(id, 1));
        assertEquals(want, ledger.acceptedOf("tick"), "accepted enqueues per run id");
        assertEquals(2, ledger.attempts(interrupted), "attempts of the interrupted run");
        assertEquals(due.size(), info.totalRunCount(), "run count saved");
        assertEquals(due.get(due.size() - 1), info.lastRunId());

        // Executed exactly once.
        // The counter is created before it is incremented: wait for the count, not for the key.
        Await.until(WAIT, "every run executed", () -> due.stream()
                .allMatch(id -> tasks.executions.getOrDefault(id, new AtomicInteger()).get() > 0));
        Map<String, Integer> executed = new TreeMap<>();
        tasks.executions.forEach((id, n) -> {
            if (id.startsWith("sched:tick:")) {
                executed.put(id, n.get());
            }
        });
        assertEquals(want, executed, "executions per run id");

        // The leases were not released: the first run due after each death waited for the lease to expire
        // (a released lease is taken within a follower's check interval, lease / 3 = 500 ms), and was then
        // published late rather than missed.
        assertLateAfter(scheduledMillis(interrupted), killed);
        assertLateAfter(killed2At, killed2);
        assertTrue(ledger.publisher.values().containsAll(List.of(killed.id, killed2.id, last.id)),
                "each leader published: " + ledger.publisher.values().stream().distinct().toList());
    }

    /**
     * Issue 13, point 11, on Redis: a 200 ms interval whose only scheduler was down for 3 s (15 runs fell due) does
     * not publish them all when a scheduler comes back: the default policy (run once) publishes one run for all of
     * them, then the entry goes on at its interval.
     */
    @Test
    void runsThatFellDueWhileNoSchedulerRanArePublishedOnceNotAll() {
        String prefix = freshPrefix("late");
        startWorker(prefix);
        Instance a = instance(prefix, "a", LEASE);
        awaitLeader(List.of(a));
        Instant first = a.scheduler.add(PeriodicTask.builder("tick", "tick", Schedule.every(EVERY)).build(), "test")
                .nextRunAt();
        awaitRunsAfter("tick", first.minusMillis(1), 2);
        a.close(); // stopped cleanly; the entry's state is saved
        long lastBefore = ledger.acceptedOf("tick").keySet().stream().mapToLong(RedisSchedulerHaTest::scheduledMillis)
                .max().orElseThrow();
        Instant down = Instant.now();
        // Downtime is the point here: no scheduler runs for 3 s, so that about 15 runs fall due.
        Await.until(WAIT, "3 s of downtime", () -> Instant.now().isAfter(down.plusSeconds(3)));

        Instant restart = Instant.now();
        Instance b = instance(prefix, "b", LEASE);
        awaitLeader(List.of(b));
        awaitRunsAfter("tick", restart, 3); // the scheduler is back at its interval
        List<String> fellDue = ledger.acceptedOf("tick").keySet().stream()
                .filter(id -> scheduledMillis(id) > lastBefore && scheduledMillis(id) < restart.toEpochMilli())
                .toList();
        assertEquals(1, fellDue.size(), "one run for the ~15 that fell due while no scheduler ran: "
                + ledger.acceptedOf("tick").keySet());
    }

    /**
     * The scheduler's events in the prefix's Redis stream: two instances, the leader killed right after publishing a
     * run and before saving its state, then the next leader closed cleanly. Each accepted run is told once, by the
     * instance that saved it, with its fields; the leader changes are told by each instance in order.
     */
    @Test
    void schedulerEventsOnePublishedPerRunAndTheLeaderChanges() {
        List<Instance> alive = threeInstances(freshPrefix("events"));
        Instance first = awaitLeader(alive);
        awaitRunsAfter("tick", addTick(alive.get(0)), 3);

        // Killed after the broker took a run and before the state was saved: the next leader publishes it again
        // (the broker drops the duplicate) and is the one to tell it.
        String interrupted = killMidRun(first);
        alive.remove(first);
        Instance second = awaitLeader(alive);
        Await.until(WAIT, "the interrupted run attempted again", () -> ledger.attempts(interrupted) >= 2);
        awaitRunsAfter("tick", Instant.now(), 3);
        // Closed cleanly: it tells the stream it leads no more, and the last instance takes over.
        second.close();
        alive.remove(second);
        Instance third = alive.get(0);
        awaitLeader(alive);
        awaitRunsAfter("tick", Instant.now(), 3);
        third.scheduler.close();
        Set<String> accepted = ledger.acceptedOf("tick").keySet();

        Taskq reader = third.taskq;
        List<Event> events = Await.value(WAIT, "every accepted run told", () -> {
            List<Event> now = schedulerEvents(reader);
            long told = now.stream().filter(e -> e.type().equals(Event.SCHEDULER_PUBLISHED)).count();
            return told >= accepted.size() ? now : null;
        });
        List<Event> published = events.stream().filter(e -> e.type().equals(Event.SCHEDULER_PUBLISHED)).toList();
        List<String> ids = published.stream().map(e -> e.field(Event.F_ID)).sorted().toList();
        assertEquals(List.copyOf(accepted), ids, "one scheduler-published per accepted run");
        for (Event e : published) {
            Instant due = Instant.parse(e.field("scheduled_at"));
            assertEquals(Scheduler.runId("tick", due), e.field(Event.F_ID));
            assertEquals("tick", e.field("entry"));
            assertEquals("tick", e.field(Event.F_NAME));
            assertEquals("default", e.field(Event.F_QUEUE));
            assertEquals(Duration.between(due, e.timestamp()).toMillis(), Long.parseLong(e.field("lag_ms")));
            assertTrue(Long.parseLong(e.field("lag_ms")) >= 0, e.toString());
            if (!e.field(Event.F_ID).equals(interrupted)) {
                assertEquals(ledger.publisher.get(e.field(Event.F_ID)), e.field("scheduler"), "told by its publisher");
            }
        }
        assertNotEquals(first.id, published.stream().filter(e -> e.field(Event.F_ID).equals(interrupted))
                .findFirst().orElseThrow().field("scheduler"), "the interrupted run is told by the next leader");

        // A killed leader tells nothing more (its connections are cut); one that closes tells that it stopped leading.
        assertEquals(List.of(Event.SCHEDULER_LEADER), leadership(events, first.id));
        assertEquals(List.of(Event.SCHEDULER_LEADER, Event.SCHEDULER_FOLLOWER), leadership(events, second.id));
        assertEquals(List.of(Event.SCHEDULER_LEADER, Event.SCHEDULER_FOLLOWER), leadership(events, third.id));
    }

    /** Three instances of one prefix, started. */
    private List<Instance> threeInstances(String prefix) {
        return new ArrayList<>(List.of(instance(prefix, "a", LEASE), instance(prefix, "b", LEASE),
                instance(prefix, "c", LEASE)));
    }

    /**
     * Adds the entry "tick", every {@link #EVERY}, run-all (every due run is to be published, those that fell due
     * during a failover included); returns its first run as added (reading the entry afterwards could already see
     * the next one on a loaded machine).
     */
    private static Instant addTick(Instance on) {
        return on.scheduler.add(PeriodicTask.builder("tick", "tick", Schedule.every(EVERY))
                .missedRuns(MissedRunPolicy.runAll(1_000)).build(), "test").nextRunAt();
    }

    /**
     * Kills the leader right after the broker accepted a run and before it saved the entry's state; returns that
     * run's id.
     */
    private String killMidRun(Instance leader) {
        leader.dieAfterNextPublish();
        Await.until(WAIT, "leader died mid-run", () -> leader.dead.getCount() == 0);
        String interrupted = leader.lastPublished;
        leader.kill();
        return interrupted;
    }

    /** Every scheduler event the stream keeps, oldest first, read page by page. */
    private static List<Event> schedulerEvents(Taskq reader) {
        List<Event> out = new ArrayList<>();
        String after = null;
        while (true) {
            EventPage page = reader.events().since(after, 1_000);
            if (page.events().isEmpty()) {
                return out;
            }
            page.events().stream().filter(e -> e.type().startsWith("scheduler-")).forEach(out::add);
            after = page.next();
        }
    }

    private static List<String> leadership(List<Event> events, String instance) {
        return events.stream().filter(e -> instance.equals(e.field("scheduler")))
                .map(Event::type).filter(t -> t.equals(Event.SCHEDULER_LEADER) || t.equals(Event.SCHEDULER_FOLLOWER))
                .toList();
    }

    private void assertLateAfter(long afterMillis, Instance killed) {
        String next = ledger.acceptedOf("tick").keySet().stream().filter(id -> scheduledMillis(id) > afterMillis)
                .findFirst().orElseThrow();
        long late = ledger.acceptedAtMillis.get(next) - scheduledMillis(next);
        assertTrue(late > 800, "run " + next + " after the death of " + killed + " was published " + late
                + " ms late");
        assertNotEquals(killed.id, ledger.publisher.get(next));
    }

    @Test
    void runtimeEditsThroughAFollowerReachTheLeaderWithinSeconds() {
        String prefix = freshPrefix("edit");
        // A long lease makes every loop sleep up to maxSleep (5 s): only the store's notification is faster.
        Duration lease = Duration.ofSeconds(30);
        Instance a = instance(prefix, "a", lease);
        Instance b = instance(prefix, "b", lease);
        Instance c = instance(prefix, "c", lease);
        List<Instance> all = List.of(a, b, c);
        Instance leader = awaitLeader(all);
        Instance editor = all.stream().filter(i -> i != leader).findFirst().orElseThrow();
        Instance reader = all.stream().filter(i -> i != leader && i != editor).findFirst().orElseThrow();

        editor.scheduler.add(PeriodicTask.builder("report", "tick", Schedule.every(Duration.ofHours(1))).build(),
                "alice");
        // Change the interval: hourly to every 250 ms.
        long t0 = System.currentTimeMillis();
        editor.scheduler.update(PeriodicTask.builder("report", "tick", Schedule.every(Duration.ofMillis(250)))
                .build(), "alice");
        String firstRun = Await.value(WAIT, "a run at the new interval",
                () -> ledger.acceptedOf("report").keySet().stream().findFirst().orElse(null));
        long latency = ledger.acceptedAtMillis.get(firstRun) - t0;
        assertTrue(latency < 2_500, "interval change applied after " + latency + " ms");
        assertEquals(leader.id, ledger.publisher.get(firstRun), "published by the leader, not the editor");
        awaitRunsAfter("report", Instant.ofEpochMilli(t0), 3);
        assertTrue(ledger.acceptedOf("report").keySet().stream().allMatch(id -> scheduledMillis(id) % 250 == 0));

        // Change it again: every 250 ms to every second.
        long t1 = System.currentTimeMillis();
        editor.scheduler.update(PeriodicTask.builder("report", "tick", Schedule.every(Duration.ofSeconds(1)))
                .build(), "alice");
        Await.until(WAIT, "two runs at the one-second interval", () -> ledger.acceptedOf("report").keySet().stream()
                .filter(id -> scheduledMillis(id) > t1).count() >= 2);
        assertTrue(ledger.acceptedOf("report").keySet().stream().filter(id -> scheduledMillis(id) > t1 + 1_000)
                .allMatch(id -> scheduledMillis(id) % 1_000 == 0), "old interval still in use after a second");

        // Disable, then add a canary: the leader reloads all entries at once, so once it publishes the canary it
        // has seen the disable, and nothing of "report" can follow.
        editor.scheduler.disable("report", "bob");
        long t2 = System.currentTimeMillis();
        editor.scheduler.add(PeriodicTask.builder("canary", "tick", Schedule.every(Duration.ofMillis(250))).build(),
                "bob");
        String canary = Await.value(WAIT, "the canary's first run",
                () -> ledger.acceptedOf("canary").keySet().stream().findFirst().orElse(null));
        assertTrue(ledger.acceptedAtMillis.get(canary) - t2 < 2_500, "changes applied within seconds");
        int reports = ledger.acceptedOf("report").size();
        awaitRunsAfter("canary", Instant.ofEpochMilli(scheduledMillis(canary)), 4);
        assertEquals(reports, ledger.acceptedOf("report").size(), "a disabled entry published a run");
        assertTrue(ledger.acceptedOf("report").keySet().stream().allMatch(id -> scheduledMillis(id) <= t2),
                "no run scheduled after the disable");

        // Every instance reads the same entry and audit trail.
        assertFalse(reader.scheduler.entry("report").orElseThrow().task().enabled());
        List<AuditRecord> audit = reader.scheduler.audit(10);
        assertEquals(List.of("add:bob", "disable:bob", "update:alice", "update:alice", "add:alice"),
                audit.stream().map(r -> r.action() + ":" + r.actor()).collect(Collectors.toList()));
    }

    @Test
    void twoPrefixesOnOneRedisNeverSeeEachOthersEntries() {
        String p1 = freshPrefix("left");
        String p2 = freshPrefix("right");
        Instance left = instance(p1, "left", LEASE);
        Instance right = instance(p2, "right", LEASE);
        // One leader per prefix: the leases do not meet either.
        awaitLeader(List.of(left));
        awaitLeader(List.of(right));

        left.scheduler.add(PeriodicTask.builder("only-left", "tick", Schedule.every(Duration.ofMillis(250)))
                .build(), "test");
        right.scheduler.add(PeriodicTask.builder("only-right", "tick", Schedule.every(Duration.ofMillis(250)))
                .build(), "test");
        right.scheduler.add(PeriodicTask.builder("shared-name", "tick", Schedule.every(Duration.ofHours(1)))
                .description("right's").build(), "test");
        left.scheduler.add(PeriodicTask.builder("shared-name", "tick", Schedule.every(Duration.ofHours(2)))
                .description("left's").build(), "test");

        assertEquals(List.of("only-left", "shared-name"), names(left.scheduler.entries()));
        assertEquals(List.of("only-right", "shared-name"), names(right.scheduler.entries()));
        assertEquals("left's", left.scheduler.entry("shared-name").orElseThrow().task().description());
        assertEquals("right's", right.scheduler.entry("shared-name").orElseThrow().task().description());
        assertEquals(2, left.scheduler.audit(10).size());
        assertEquals(2, right.scheduler.audit(10).size());

        awaitRunsAfter("only-left", Instant.EPOCH, 2);
        awaitRunsAfter("only-right", Instant.EPOCH, 2);
        assertTrue(ledger.acceptedOf("only-left").keySet().stream().allMatch(id -> left.id.equals(
                ledger.publisher.get(id))));
        assertTrue(ledger.acceptedOf("only-right").keySet().stream().allMatch(id -> right.id.equals(
                ledger.publisher.get(id))));
        assertTrue(left.scheduler.delete("shared-name", "test"));
        assertTrue(right.scheduler.entry("shared-name").isPresent());
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A broker (Taskq broker, result backend, lease store) of one instance or of the worker. */
    RedisBroker newBroker(String prefix) {
        return RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
    }

    /** The schedule store of one instance, next to its broker. */
    RedisScheduleStore newStore(RedisBroker broker, String prefix) {
        return RedisScheduleStore.builder().uri(server.url()).keyPrefix(prefix).build();
    }

    private static List<String> names(List<PeriodicTaskInfo> entries) {
        return entries.stream().map(PeriodicTaskInfo::name).sorted().collect(Collectors.toList());
    }

    private static long scheduledMillis(String runId) {
        return Long.parseLong(runId.substring(runId.lastIndexOf(':') + 1));
    }

    private static List<String> idsBetween(String entry, Instant first, Instant nextExclusive) {
        List<String> ids = new ArrayList<>();
        for (Instant t = first; t.isBefore(nextExclusive); t = t.plus(EVERY)) {
            ids.add(Scheduler.runId(entry, t));
        }
        return ids;
    }

    /** Waits until {@code n} runs of the entry scheduled after {@code after} were accepted. */
    private void awaitRunsAfter(String entry, Instant after, int n) {
        Await.until(WAIT, n + " runs of " + entry + " after " + after, () -> ledger.acceptedOf(entry).keySet()
                .stream().filter(id -> scheduledMillis(id) > after.toEpochMilli()).count() >= n);
    }

    private Instance awaitLeader(List<Instance> among) {
        return Await.value(WAIT, "one leader among " + among, () -> {
            List<Instance> leaders = among.stream().filter(i -> i.scheduler.isLeader()).toList();
            return leaders.size() == 1 ? leaders.get(0) : null;
        });
    }

    private Instance instance(String prefix, String id, Duration lease) {
        Instance i = new Instance(prefix, id, lease);
        closeables.add(i);
        return i;
    }

    /** A worker process of its own: its own broker connection, untouched by the kills. */
    private void startWorker(String prefix) {
        RedisBroker broker = newBroker(prefix);
        closeables.add(broker);
        Taskq taskq = Taskq.builder().broker(broker).tasks(tasks).build();
        closeables.add(taskq);
        taskq.startWorker(WorkerOptions.builder().queues("default").concurrency(4)
                .claimWait(Duration.ofMillis(200)).build());
    }

    /** Every enqueue of every instance, by task id. */
    static final class Ledger {
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        final Map<String, Long> acceptedAtMillis = new ConcurrentHashMap<>();
        final Map<String, String> publisher = new ConcurrentHashMap<>();

        int attempts(String id) {
            AtomicInteger n = attempts.get(id);
            return n == null ? 0 : n.get();
        }

        /** Accepted counts of the scheduled runs of one entry, by run id, sorted. */
        Map<String, Integer> acceptedOf(String entry) {
            Map<String, Integer> out = new TreeMap<>();
            String p = "sched:" + entry + ":";
            accepted.forEach((id, n) -> {
                if (id.startsWith(p)) {
                    out.put(id, n.get());
                }
            });
            return out;
        }
    }

    /** Tasks the worker runs; each execution is counted by task id. */
    public static final class Tasks {
        final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

        @Task(name = "tick")
        public void tick() {
            String id = TaskContext.current().orElseThrow().taskId();
            executions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** One application instance: its own Redis broker, schedule store, taskq and scheduler. */
    final class Instance implements AutoCloseable {
        final String id;
        final RedisBroker broker;
        final RedisScheduleStore store;
        final Taskq taskq;
        final Scheduler scheduler;
        final CountDownLatch dead = new CountDownLatch(1);
        volatile boolean dieAfterNextPublish;
        volatile String lastPublished;

        Instance(String prefix, String id, Duration lease) {
            this.id = id;
            this.broker = newBroker(prefix);
            this.store = newStore(broker, prefix);
            this.taskq = Taskq.builder().broker(new CountingBroker()).resultBackend(broker).tasks(tasks).build();
            this.scheduler = Scheduler.builder().taskq(taskq).store(store).leases(broker).instanceId(id)
                    .leaseTtl(lease).build();
            scheduler.start();
        }

        void dieAfterNextPublish() {
            dieAfterNextPublish = true;
        }

        /**
         * The process dies: its Redis connections are cut (so it can neither renew nor release the lease, nor
         * save anything), then its threads stop.
         */
        void kill() {
            cutConnections();
            scheduler.close();
            taskq.close();
        }

        private void cutConnections() {
            broker.close();
            store.close();
            dead.countDown();
        }

        @Override
        public void close() {
            scheduler.close();
            taskq.close();
            store.close();
            broker.close();
        }

        @Override
        public String toString() {
            return id;
        }

        /** The instance's broker as its taskq sees it: records each enqueue in the ledger; can die mid-run. */
        final class CountingBroker extends ForwardingBroker {
            CountingBroker() {
                super(broker);
            }

            @Override
            public List<Boolean> enqueue(List<TaskMessage> messages) {
                List<Boolean> out = broker.enqueue(messages);
                long now = System.currentTimeMillis();
                for (int i = 0; i < messages.size(); i++) {
                    String mid = messages.get(i).id();
                    ledger.attempts.computeIfAbsent(mid, k -> new AtomicInteger()).incrementAndGet();
                    if (out.get(i)) {
                        // Time and publisher first: readers find a run through "accepted", then look these up.
                        ledger.acceptedAtMillis.putIfAbsent(mid, now);
                        ledger.publisher.putIfAbsent(mid, id);
                        ledger.accepted.computeIfAbsent(mid, k -> new AtomicInteger()).incrementAndGet();
                    }
                    lastPublished = mid;
                }
                if (dieAfterNextPublish) {
                    // Published, and gone before the state save that follows.
                    cutConnections();
                    throw new IllegalStateException("instance " + id + " killed after publishing");
                }
                return out;
            }

            /** Leaves the instance's broker open: the instance closes it. */
            @Override
            public void close() {
            }
        }
    }
}
