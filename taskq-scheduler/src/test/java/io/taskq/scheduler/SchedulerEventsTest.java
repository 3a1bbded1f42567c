package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Event;
import io.taskq.SubmitException;
import io.taskq.Taskq;
import io.taskq.contract.Await;
import io.taskq.spi.MemoryBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's events in the taskq's event stream (in memory; on Redis see RedisSchedulerHaTest): leadership
 * changes, one {@code scheduler-published} per run with its fields whatever the number of instances, missed runs,
 * a failed submit, and nothing at all when the taskq's events are off.
 */
class SchedulerEventsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Cluster cluster = new Cluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** The scheduler events in the shared stream now, oldest first. */
    private List<Event> schedulerEvents() {
        return cluster.broker.eventLog().orElseThrow().read(null, 10_000).events().stream()
                .filter(e -> e.type().startsWith("scheduler-")).toList();
    }

    private List<Event> awaitEvents(String what, Predicate<List<Event>> done) {
        return Await.value(Cluster.WAIT, what, () -> {
            List<Event> now = schedulerEvents();
            return done.test(now) ? now : null;
        });
    }

    private static long count(List<Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).count();
    }

    @Test
    void leaderChangesAndEachRunPublishedOnceAcrossTwoInstances() {
        // Steps shorter than the lease: a clock jump alone never moves the lease (see Cluster.LEASE).
        Duration every = Duration.ofSeconds(10);
        Cluster.Instance a = cluster.instance("a").start();
        Cluster.Instance b = cluster.instance("b").start();
        Cluster.Instance leader = cluster.awaitLeader(a, b);
        Cluster.Instance follower = leader == a ? b : a;
        Instant t0 = a.scheduler.add(PeriodicTask.builder("m", "tick", Schedule.every(every)).build(), "test")
                .nextRunAt();
        for (int k = 0; k < 3; k++) {
            cluster.advanceTo(t0.plus(every.multipliedBy(k)));
            cluster.awaitAccepted(Scheduler.runId("m", t0.plus(every.multipliedBy(k))));
        }
        cluster.awaitCaughtUp();

        // The leader closes (gives the lease up): the other instance takes over and publishes the next runs.
        leader.close();
        cluster.awaitLeader(follower);
        for (int k = 3; k < 5; k++) {
            cluster.advanceTo(t0.plus(every.multipliedBy(k)));
            cluster.awaitAccepted(Scheduler.runId("m", t0.plus(every.multipliedBy(k))));
        }
        cluster.awaitCaughtUp();

        List<Event> events = awaitEvents("five runs and the leader change told",
                e -> count(e, Event.SCHEDULER_PUBLISHED) >= 5 && count(e, Event.SCHEDULER_LEADER) >= 2);
        // Each instance publishes from its own buffer: their events are in order per instance.
        assertEquals(List.of("scheduler-leader taskq.scheduler", "scheduler-follower taskq.scheduler"),
                leadership(events, leader.id));
        assertEquals(List.of("scheduler-leader taskq.scheduler"), leadership(events, follower.id));

        List<Event> published = events.stream().filter(e -> e.type().equals(Event.SCHEDULER_PUBLISHED)).toList();
        assertEquals(5, published.size(), "one event per run: " + published);
        for (int k = 0; k < 5; k++) {
            Event e = published.get(k);
            Instant due = t0.plus(every.multipliedBy(k));
            String by = k < 3 ? leader.id : follower.id;
            // The lag is the event's time (the publish) minus the scheduled time; the test's clock moved a little.
            String lag = Long.toString(Duration.between(due, e.timestamp()).toMillis());
            assertEquals(Map.of("scheduler", by, "entry", "m", "name", "tick", "id", Scheduler.runId("m", due),
                    "queue", "default", "scheduled_at", due.toString(), "lag_ms", lag), e.fields(), e.toString());
            assertTrue(e.timestamp().isAfter(due) && e.timestamp().isBefore(due.plusSeconds(1)), e.toString());
        }
    }

    private static List<String> leadership(List<Event> events, String instance) {
        return events.stream().filter(e -> instance.equals(e.field("scheduler")))
                .filter(e -> e.type().equals(Event.SCHEDULER_LEADER) || e.type().equals(Event.SCHEDULER_FOLLOWER))
                .map(e -> e.type() + " " + e.field("lease")).toList();
    }

    @Test
    void missedRunsAndAFailedSubmitAreTold() {
        Cluster.Instance a = cluster.instance("a").start();
        cluster.awaitLeader(a);
        Instant t0 = a.scheduler.add(PeriodicTask.builder("m", "tick", Schedule.every(MINUTE))
                .missedRuns(MissedRunPolicy.skip()).build(), "test").nextRunAt();
        cluster.advanceTo(t0);
        cluster.awaitAccepted(Scheduler.runId("m", t0));
        cluster.awaitCaughtUp();
        a.close();

        // Down for 10.5 minutes: +1..+9 are missed and dropped by the policy, +10 is late and published.
        cluster.clock.advance(MINUTE.multipliedBy(10).plusSeconds(30));
        Instant restart = cluster.clock.instant();
        Cluster.Instance b = cluster.instance("b").start();
        cluster.awaitLeader(b);
        cluster.awaitCaughtUp();
        Event missed = awaitEvents("missed runs told", e -> count(e, Event.SCHEDULER_MISSED) == 1).stream()
                .filter(e -> e.type().equals(Event.SCHEDULER_MISSED)).findFirst().orElseThrow();
        assertEquals(Map.of("scheduler", "b", "entry", "m", "name", "tick", "reason", "missed",
                "from", t0.plus(MINUTE).toString(), "until", missed.field("until"), "policy", "skip"),
                missed.fields());
        assertTrue(!Instant.parse(missed.field("until")).isBefore(restart), missed.toString());

        // The broker refuses the next run: told as failed, then published once the broker is back.
        Instant next = b.scheduler.entry("m").orElseThrow().nextRunAt();
        b.broker.failure = new IllegalStateException("broker down");
        cluster.advanceTo(next);
        Event failed = awaitEvents("failed submit told", e -> count(e, Event.SCHEDULER_FAILED) >= 1).stream()
                .filter(e -> e.type().equals(Event.SCHEDULER_FAILED)).findFirst().orElseThrow();
        assertEquals(Map.of("scheduler", "b", "entry", "m", "name", "tick", "scheduled_at", next.toString(),
                "runs", "1", "error_type", SubmitException.class.getName(), "error_message",
                failed.field("error_message")), failed.fields());
        assertTrue(failed.field("error_message").contains("broker down"), failed.toString());
        b.broker.failure = null;
        cluster.awaitAccepted(Scheduler.runId("m", next));
        awaitEvents("the run published after the failure", e -> e.stream().anyMatch(x -> x.type().equals(
                Event.SCHEDULER_PUBLISHED) && Scheduler.runId("m", next).equals(x.field("id"))));
    }

    @Test
    void aRunNowIsToldAsManual() {
        Cluster.Instance a = cluster.instance("a").start();
        cluster.awaitLeader(a);
        a.scheduler.add(PeriodicTask.builder("m", "tick", Schedule.every(MINUTE)).build(), "test");
        String id = a.scheduler.runNow("m", "ops").id();
        Event e = awaitEvents("run-now told", l -> count(l, Event.SCHEDULER_PUBLISHED) == 1).stream()
                .filter(x -> x.type().equals(Event.SCHEDULER_PUBLISHED)).findFirst().orElseThrow();
        assertEquals(id, e.field("id"));
        assertEquals("true", e.field("manual"));
        assertEquals("0", e.field("lag_ms"));
    }

    @Test
    void nothingIsPublishedWhenTheTaskqsEventsAreOff() {
        MemoryBroker broker = cluster.broker;
        try (Taskq quiet = Taskq.builder().broker(broker).closeBrokerOnClose(false).clock(cluster.clock)
                .events(false).tasks(cluster.tasks).build();
             Scheduler s = Scheduler.builder().taskq(quiet).store(cluster.store).leases(broker).clock(cluster.clock)
                     .instanceId("quiet").maxSleep(Duration.ofMillis(20)).build()) {
            s.start();
            Await.until(Cluster.WAIT, "leader", s::isLeader);
            String id = s.runNow(s.add(PeriodicTask.builder("m", "tick", Schedule.every(MINUTE)).build(), "test")
                    .name(), "ops").id();
            assertTrue(id.startsWith("sched:m:manual:"), id);
            // The taskq has no publisher at all: nothing can be on its way to the stream.
            assertEquals(List.of(), schedulerEvents());
        }
    }
}
