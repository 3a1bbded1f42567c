package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.internal.DueRuns.Plan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run planning as a pure function. */
class DueRunsTest {
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");
    private static final Duration MIN = Duration.ofMinutes(1);
    private static final Duration GRACE = Duration.ofMinutes(1);
    private static final Schedule EVERY_MINUTE = Schedule.every(MIN);

    private static Instant m(int k) {
        return T.plus(MIN.multipliedBy(k));
    }

    @Test
    void onTimeRunIsPublished() {
        Plan p = DueRuns.plan(EVERY_MINUTE, T, T.plusMillis(3), GRACE, MissedRunPolicy.skip(), 100);
        assertEquals(List.of(T), p.runs());
        assertEquals(m(1), p.next());
        assertFalse(p.dropped());
    }

    @Test
    void aLateRunIsPublishedWhateverThePolicy() {
        // A 50-second leader failover on a 20-second schedule: the run of +40 s is late (within the grace); the
        // runs of 0 and +20 s were superseded by it, so they are missed and follow the policy.
        Schedule every20s = Schedule.every(Duration.ofSeconds(20));
        Instant now = T.plusSeconds(50);
        Plan once = DueRuns.plan(every20s, T, now, GRACE, MissedRunPolicy.runOnce(), 100);
        assertEquals(List.of(T), once.runs(), "one run, named after the earliest due run");
        assertFalse(once.dropped());
        Plan skip = DueRuns.plan(every20s, T, now, GRACE, MissedRunPolicy.skip(), 100);
        assertEquals(List.of(T.plusSeconds(40)), skip.runs());
        assertTrue(skip.dropped());
        Plan all = DueRuns.plan(every20s, T, now, GRACE, MissedRunPolicy.runAll(1), 100);
        assertEquals(List.of(T, T.plusSeconds(40)), all.runs());
        assertTrue(all.dropped());
        for (Plan p : List.of(once, skip, all)) {
            assertEquals(T.plusSeconds(60), p.next());
        }
    }

    @Test
    void lateRunsOfATinyIntervalCollapseByThePolicy() {
        // Issue 13 point 11: one-second interval, 28 s of downtime, all within the one-minute grace. They used to
        // be published all at once, 28 runs.
        Schedule everySecond = Schedule.every(Duration.ofSeconds(1));
        Instant now = T.plusSeconds(27).plusMillis(500);
        Plan once = DueRuns.plan(everySecond, T, now, GRACE, MissedRunPolicy.runOnce(), 1000);
        assertEquals(List.of(T), once.runs());
        assertEquals(T.plusSeconds(28), once.next());
        Plan skip = DueRuns.plan(everySecond, T, now, GRACE, MissedRunPolicy.skip(), 1000);
        assertEquals(List.of(T.plusSeconds(27)), skip.runs());
        assertTrue(skip.dropped());
        Plan capped = DueRuns.plan(everySecond, T, now, GRACE, MissedRunPolicy.runAll(3), 1000);
        assertEquals(List.of(T, T.plusSeconds(1), T.plusSeconds(2), T.plusSeconds(27)), capped.runs());
        assertTrue(capped.dropped());
        Plan all = DueRuns.plan(everySecond, T, now, GRACE, MissedRunPolicy.runAll(100), 1000);
        assertEquals(28, all.runs().size());
        assertFalse(all.dropped());
        assertEquals(T.plusSeconds(28), all.next());
    }

    @Test
    void missedRunPolicies() {
        Instant now = m(10).plusSeconds(30);
        assertEquals(List.of(m(0)),
                DueRuns.plan(EVERY_MINUTE, T, now, GRACE, MissedRunPolicy.runOnce(), 100).runs());
        Plan skip = DueRuns.plan(EVERY_MINUTE, T, now, GRACE, MissedRunPolicy.skip(), 100);
        assertEquals(List.of(m(10)), skip.runs());
        assertTrue(skip.dropped());
        Plan capped = DueRuns.plan(EVERY_MINUTE, T, now, GRACE, MissedRunPolicy.runAll(3), 100);
        assertEquals(List.of(m(0), m(1), m(2), m(10)), capped.runs());
        assertTrue(capped.dropped());
        assertEquals(m(11), capped.next());
        Plan all = DueRuns.plan(EVERY_MINUTE, T, now, GRACE, MissedRunPolicy.runAll(100), 100);
        assertEquals(11, all.runs().size());
        assertFalse(all.dropped());
        // Older than the grace, the most recent due run is missed too: skip publishes nothing.
        Duration shortGrace = Duration.ofSeconds(20);
        Plan skipAll = DueRuns.plan(EVERY_MINUTE, T, now, shortGrace, MissedRunPolicy.skip(), 100);
        assertEquals(List.of(), skipAll.runs());
        assertTrue(skipAll.dropped());
        assertEquals(m(11), skipAll.next());
        assertEquals(List.of(m(0), m(1)),
                DueRuns.plan(EVERY_MINUTE, T, now, shortGrace, MissedRunPolicy.runAll(2), 100).runs());
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void longDowntimeOnATinyIntervalIsNotWalkedNorFlooded() {
        Schedule everySecond = Schedule.every(Duration.ofSeconds(1));
        // Ten thousand years of missed seconds (3e11 of them): a plan that walked them one by one would not end,
        // so finishing at all (the class's timeout guards a hang) shows that the downtime is skipped arithmetically.
        Instant now = T.plus(Duration.ofDays(365L * 10_000));
        Plan once = DueRuns.plan(everySecond, T, now, Duration.ZERO, MissedRunPolicy.runOnce(), 1000);
        assertEquals(List.of(T), once.runs());
        assertEquals(now.plusSeconds(1), once.next());
        Plan skip = DueRuns.plan(everySecond, T, now, Duration.ofHours(1), MissedRunPolicy.skip(), 1000);
        assertEquals(List.of(now), skip.runs());
        Plan flood = DueRuns.plan(everySecond, T, now, Duration.ofHours(1), MissedRunPolicy.runAll(5000), 1000);
        assertEquals(1000, flood.runs().size(), "bounded batch");
        assertEquals(now, flood.runs().get(999), "the late run is among them");
        assertTrue(flood.dropped());
        assertTrue(flood.next().isAfter(now));
    }

    @Test
    void scheduleThatEndsHasNoNext() {
        Instant at = T;
        Plan p = DueRuns.plan(Schedule.clocked(at), at, at.plusSeconds(1), GRACE, MissedRunPolicy.runOnce(), 10);
        assertEquals(List.of(at), p.runs());
        assertNull(p.next());
    }

    @Test
    void cronAcrossSpringForwardFiresOnceAtTheTransition() {
        // 02:30 does not exist in New York on 2024-03-10; the named-hour rule fires at 03:00 EDT (= 07:00Z).
        Schedule cron = Schedule.cron("30 2 * * *", ZoneId.of("America/New_York"));
        Instant due = cron.nextFireAfter(Instant.parse("2024-03-10T05:00:00Z")).orElseThrow();
        assertEquals(Instant.parse("2024-03-10T07:00:00Z"), due);
        Plan p = DueRuns.plan(cron, due, due.plusMillis(5), GRACE, MissedRunPolicy.runOnce(), 10);
        assertEquals(List.of(due), p.runs());
        assertEquals(Instant.parse("2024-03-11T06:30:00Z"), p.next());
    }

    @Test
    void firstRunRespectsStartTimeAndClockedInstants() {
        assertEquals(m(1), DueRuns.firstRun(EVERY_MINUTE, null, T, true));
        assertEquals(m(5), DueRuns.firstRun(EVERY_MINUTE, m(5), T, true), "a start time on a fire is included");
        assertEquals(m(6), DueRuns.firstRun(EVERY_MINUTE, m(5).plusSeconds(1), T, true));
        assertEquals(m(1), DueRuns.firstRun(EVERY_MINUTE, m(-5), T, true), "a past start time changes nothing");
        Instant past = T.minusSeconds(3600);
        assertEquals(past, DueRuns.firstRun(Schedule.clocked(past), null, T, true), "never ran: due now");
        assertNull(DueRuns.firstRun(Schedule.clocked(past), null, T, false), "already ran: never again");
    }
}
