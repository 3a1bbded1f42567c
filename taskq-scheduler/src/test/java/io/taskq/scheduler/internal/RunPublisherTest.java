package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskState;
import io.taskq.contract.MutableClock;
import io.taskq.scheduler.contract.ForwardingScheduleStore;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.OverlapPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.internal.EntryCodec.Entry;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher alone: due runs published once, late versus missed by the misfire grace, overlap, one-offs. */
class RunPublisherTest {
    private static final Instant T = Instant.parse("2030-01-01T10:00:00Z");
    private final MutableClock clock = new MutableClock();
    private Parts parts = new Parts(clock);

    @AfterEach
    void close() {
        parts.close();
    }

    private static PeriodicTask everyMinute(String name, MissedRunPolicy missed) {
        return PeriodicTask.builder(name, "tick", Schedule.every(Duration.ofMinutes(1))).missedRuns(missed).build();
    }

    private void publishAt(Instant now) {
        parts.cache.refresh(true);
        parts.publisher.publishDue(now, () -> false);
    }

    @Test
    void aDueRunIsPublishedOnceUnderItsDeterministicId() {
        parts.put(everyMinute("m", MissedRunPolicy.runOnce()), T);
        publishAt(T.plusSeconds(5));
        publishAt(T.plusSeconds(6));

        String id = RunSubmitter.runId("m", T);
        assertEquals(List.of("published " + id), parts.events.heard());
        Entry e = parts.stored("m");
        assertEquals(T.plusSeconds(60), e.state().nextRunAt());
        assertEquals(id, e.state().lastRunId());
        assertEquals(1, e.state().totalRunCount());
        assertEquals(TaskState.PENDING, parts.taskq.handle("default", id).state());
    }

    @Test
    void theMostRecentRunWithinTheGraceIsLateAndPublishedEvenUnderSkip() {
        parts.put(PeriodicTask.builder("s", "tick", Schedule.every(Duration.ofHours(1)))
                .missedRuns(MissedRunPolicy.skip()).build(), T);
        publishAt(T.plus(Parts.GRACE));
        assertEquals(List.of("published " + RunSubmitter.runId("s", T)), parts.events.heard());
    }

    @Test
    void aRunOlderThanTheGraceIsMissedAndReportedOnceSaved() {
        parts.put(PeriodicTask.builder("h", "tick", Schedule.every(Duration.ofHours(1)))
                .missedRuns(MissedRunPolicy.skip()).build(), T);
        Instant now = T.plus(Parts.GRACE).plusSeconds(1);
        publishAt(now);

        assertEquals(List.of("missed h from " + T), parts.events.heard());
        assertEquals(T.plus(Duration.ofHours(1)), parts.stored("h").state().nextRunAt());
        assertEquals(0, parts.stored("h").state().totalRunCount());
    }

    @Test
    void runAllPublishesEveryMissedRunAndTheLateOne() {
        parts.put(everyMinute("all", MissedRunPolicy.runAll(10)), T);
        publishAt(T.plusSeconds(150));
        assertEquals(List.of("published " + RunSubmitter.runId("all", T),
                "published " + RunSubmitter.runId("all", T.plusSeconds(60)),
                "published " + RunSubmitter.runId("all", T.plusSeconds(120))), parts.events.heard());
        assertEquals(3, parts.stored("all").state().totalRunCount());
    }

    @Test
    void aRunIsSkippedWhileThePreviousOneHasNotFinished() {
        PeriodicTask d = PeriodicTask.builder("o", "tick", Schedule.every(Duration.ofMinutes(1)))
                .overlap(OverlapPolicy.SKIP_IF_RUNNING).build();
        parts.put(d, T);
        publishAt(T.plusSeconds(1));
        // The first run is still queued (no worker), so the next one is held back.
        publishAt(T.plusSeconds(61));
        assertEquals(List.of("published " + RunSubmitter.runId("o", T), "skipped o at " + T.plusSeconds(60)),
                parts.events.heard());
        assertEquals(T.plusSeconds(120), parts.stored("o").state().nextRunAt());
    }

    @Test
    void aOneOffEntryIsDisabledAndAuditedAfterItsRun() {
        parts.put(PeriodicTask.builder("once", "tick", Schedule.every(Duration.ofMinutes(1))).oneOff(true).build(),
                T);
        publishAt(T);
        Entry e = parts.stored("once");
        assertFalse(e.definition().enabled());
        assertNull(e.state().nextRunAt());
        ScheduleAuditRecord audit = parts.store.audit(1).get(0);
        assertEquals(List.of("once", "disable", "scheduler"), List.of(audit.entry(), audit.action(), audit.actor()));
    }

    @Test
    void aConcurrentChangeMakesItReReadAndRepublishTheSameIdHarmlessly() {
        AtomicBoolean raced = new AtomicBoolean();
        parts.close();
        parts = new Parts(clock, new RacingStore(new InMemoryScheduleStore(), raced));
        parts.put(everyMinute("r", MissedRunPolicy.runOnce()), T);
        raced.set(false);
        publishAt(T);

        assertTrue(raced.get(), "the first save lost the race");
        String id = RunSubmitter.runId("r", T);
        assertEquals(List.of("published " + id), parts.events.heard(), "reported once, after the save that won");
        assertEquals(1, parts.stored("r").state().totalRunCount());
        assertEquals(1, parts.broker.stats("default").ready(), "the second publish of the id was dropped");
    }

    @Test
    void nothingIsPublishedOnceStopping() {
        parts.put(everyMinute("x", MissedRunPolicy.runOnce()), T);
        parts.cache.refresh(true);
        parts.publisher.publishDue(T, () -> true);
        assertEquals(List.of(), parts.events.heard());
        assertEquals(T, parts.stored("x").state().nextRunAt());
    }

    /** A store where another writer saves the entry's state once, just before the publisher's first save. */
    private static final class RacingStore extends ForwardingScheduleStore {
        private final AtomicBoolean raced;

        RacingStore(ScheduleStore delegate, AtomicBoolean raced) {
            super(delegate);
            this.raced = raced;
        }

        @Override
        public OptionalLong write(String name, String json, long expectedVersion, ScheduleAuditRecord audit) {
            if (expectedVersion != ScheduleStore.ABSENT && raced.compareAndSet(false, true)) {
                ScheduleRecord r = delegate.entry(name).orElseThrow();
                delegate.write(name, r.json(), r.version(), null).orElseThrow();
            }
            return delegate.write(name, json, expectedVersion, audit);
        }
    }
}
