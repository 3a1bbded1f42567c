package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.contract.MutableClock;
import io.taskq.scheduler.contract.ForwardingScheduleStore;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.spi.ScheduleAuditRecord;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Run-time edits alone: what each writes, what it audits, and how it sets the next run. */
class EntryEditorTest {
    private final MutableClock clock = new MutableClock();
    private Parts parts = new Parts(clock);

    @AfterEach
    void close() {
        parts.close();
    }

    private static PeriodicTask hourly(String name) {
        return PeriodicTask.builder(name, "tick", Schedule.every(Duration.ofHours(1))).build();
    }

    private List<String> actions() {
        return parts.store.audit(100).stream().map(a -> a.action() + " " + a.entry() + " by " + a.actor()).toList();
    }

    @Test
    void addCreatesTheEntryWithItsFirstRunAndAuditsIt() {
        Instant now = clock.instant();
        PeriodicTaskInfo info = parts.editor.add(hourly("h"), "alice");
        assertEquals(hourly("h").schedule().nextFireAfter(now).orElseThrow(), info.nextRunAt());
        assertEquals(List.of("add h by alice"), actions());
        ScheduleAuditRecord a = parts.store.audit(1).get(0);
        assertNull(a.before());
        assertEquals(EntryCodec.encodeDefinition(hourly("h")), a.after());
        assertThrows(IllegalStateException.class, () -> parts.editor.add(hourly("h"), "bob"));
    }

    @Test
    void anUnchangedDefinitionWritesNothing() {
        parts.editor.add(hourly("h"), "alice");
        long version = parts.store.entry("h").orElseThrow().version();
        parts.editor.update(hourly("h"), "bob");
        assertEquals(version, parts.store.entry("h").orElseThrow().version());
        assertEquals(List.of("add h by alice"), actions());
    }

    @Test
    void anEditThatDoesNotTouchTheTimingKeepsADueRunDue() {
        Instant due = clock.instant().minusSeconds(5);
        parts.put(hourly("h"), due);
        parts.editor.update(hourly("h").toBuilder().description("new text").build(), "alice");
        assertEquals(due, parts.stored("h").state().nextRunAt());

        PeriodicTask every2 = PeriodicTask.builder("h", "tick", Schedule.every(Duration.ofHours(2))).build();
        parts.editor.update(every2, "alice");
        assertEquals(every2.schedule().nextFireAfter(clock.instant()).orElseThrow(),
                parts.stored("h").state().nextRunAt(), "a new schedule starts from now");
    }

    @Test
    void reEnablingDoesNotCatchUpTheDisabledTime() {
        parts.put(hourly("h"), clock.instant().minusSeconds(5));
        PeriodicTaskInfo off = parts.editor.setEnabled("h", false, "alice");
        assertNull(off.nextRunAt());
        clock.advance(Duration.ofHours(5));
        PeriodicTaskInfo on = parts.editor.setEnabled("h", true, "alice");
        assertTrue(on.nextRunAt().isAfter(clock.instant()));
        assertEquals(List.of("enable h by alice", "disable h by alice"), actions());
        assertThrows(NoSuchElementException.class, () -> parts.editor.setEnabled("none", true, "alice"));
    }

    @Test
    void deleteSaysWhetherThereWasAnEntry() {
        parts.editor.add(hourly("h"), "alice");
        assertTrue(parts.editor.delete("h", "bob"));
        assertFalse(parts.editor.delete("h", "bob"));
        assertEquals(List.of("delete h by bob", "add h by alice"), actions());
    }

    @Test
    void anUnreadableEntryCanOnlyBeDeletedOrRedeclared() {
        parts.store.write("broken", "{\"definition\":{\"name\":\"broken\"}}", ScheduleStore.ABSENT, null);
        assertThrows(IllegalStateException.class, () -> parts.editor.setEnabled("broken", false, "alice"));
        parts.editor.declare(hourly("broken"), "i1");
        assertEquals(hourly("broken"), parts.stored("broken").declared());
        assertEquals(List.of("declare broken by code"), actions());
    }

    @Test
    void anUnchangedDeclarationKeepsRunTimeEdits() {
        parts.editor.declare(hourly("h"), "i1");
        parts.editor.setEnabled("h", false, "alice");
        parts.editor.declare(hourly("h"), "i2");
        assertFalse(parts.stored("h").definition().enabled(), "the edit survives a restart");

        PeriodicTask changed = hourly("h").toBuilder().description("v2").build();
        parts.editor.declare(changed, "i3");
        assertEquals(changed, parts.stored("h").definition(), "a changed declaration wins");
        assertEquals("instance i3", parts.store.audit(1).get(0).detail());
    }

    @Test
    void runNowPublishesAManualRunAndCountsIt() {
        parts.editor.add(hourly("h"), "alice");
        TaskHandle<Object> run = parts.editor.runNow("h", "bob");
        assertTrue(run.id().startsWith("sched:h:manual:"), run.id());
        assertEquals(run.id(), parts.stored("h").state().lastRunId());
        assertEquals(1, parts.stored("h").state().totalRunCount());
        assertEquals(List.of("published " + run.id()), parts.events.heard());
        assertEquals(run.id(), parts.store.audit(1).get(0).detail());
        assertThrows(NoSuchElementException.class, () -> parts.editor.runNow("none", "bob"));
    }

    @Test
    void anEditIsReAppliedWhenTheLeaderSavedStateMeanwhile() {
        AtomicInteger lostRaces = new AtomicInteger();
        parts.close();
        parts = new Parts(clock, new ForwardingScheduleStore(new InMemoryScheduleStore()) {
            @Override
            public OptionalLong write(String name, String json, long expectedVersion, ScheduleAuditRecord audit) {
                if (audit != null && audit.action().equals("update") && lostRaces.getAndIncrement() < 2) {
                    // The leader saves the entry's run state just before this write.
                    var r = delegate.entry(name).orElseThrow();
                    delegate.write(name, r.json(), r.version(), null).orElseThrow();
                }
                return delegate.write(name, json, expectedVersion, audit);
            }
        });
        parts.editor.add(hourly("h"), "alice");
        parts.editor.update(hourly("h").toBuilder().description("v2").build(), "bob");
        assertEquals(3, lostRaces.get(), "two lost races, then the write");
        assertEquals("v2", parts.stored("h").definition().description());
        assertEquals(List.of("update h by bob", "add h by alice"), actions());
    }
}
