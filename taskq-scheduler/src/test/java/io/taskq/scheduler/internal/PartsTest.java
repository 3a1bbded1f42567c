package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Task;
import io.taskq.Taskq;
import io.taskq.contract.MutableClock;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.SchedulerListener;
import io.taskq.scheduler.spi.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The small parts: listeners that throw, the registered-task check, the stored entries' reads. */
class PartsTest {
    private final Parts parts = new Parts(new MutableClock());

    @AfterEach
    void close() {
        parts.close();
    }

    /** A task object for the check. */
    public static final class Tick {
        @Task(name = "tick")
        public void tick() {
        }
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheEventFromTheOthers() {
        List<String> heard = new ArrayList<>();
        SchedulerListener broken = new SchedulerListener() {
            @Override
            public void leadershipChanged(String instanceId, boolean leader) {
                throw new IllegalStateException("broken listener");
            }
        };
        SchedulerListener fine = new SchedulerListener() {
            @Override
            public void leadershipChanged(String instanceId, boolean leader) {
                heard.add(instanceId);
            }
        };
        new Listeners(List.of(broken, fine)).tell(l -> l.leadershipChanged("a", true));
        assertEquals(List.of("a"), heard);
    }

    @Test
    void anEntryNamingAnUnregisteredTaskIsRefusedUnlessAllowed() {
        try (Taskq taskq = Taskq.builder().broker(parts.broker).tasks(new Tick()).build()) {
            PeriodicTask typo = PeriodicTask.builder("t", "tikc", Schedule.every(Duration.ofHours(1))).build();
            TaskNameCheck check = new TaskNameCheck(taskq, false);
            assertTrue(assertThrows(IllegalStateException.class, () -> check.refuseDeclared(typo)).getMessage()
                    .contains("registered: tick"));
            assertThrows(IllegalArgumentException.class, () -> check.refuse(typo));
            check.refuse(PeriodicTask.builder("t", "tick", Schedule.every(Duration.ofHours(1))).build());
            new TaskNameCheck(taskq, true).refuse(typo);
        }
    }

    @Test
    void storedEntriesLeaveUnreadableOnesOutAndSortByName() {
        Instant t = Instant.parse("2030-01-01T10:00:00Z");
        parts.put(PeriodicTask.builder("b", "tick", Schedule.every(Duration.ofHours(1))).build(), t);
        parts.put(PeriodicTask.builder("a", "tick", Schedule.every(Duration.ofHours(1))).enabled(false).build(), t);
        parts.store.write("broken", "[]", ScheduleStore.ABSENT, null);

        assertEquals(List.of("a", "b"), parts.entries.infos().stream().map(i -> i.name()).toList());
        assertEquals(null, parts.entries.info("a").orElseThrow().nextRunAt(), "disabled: no next run");
        assertEquals(t, parts.entries.info("b").orElseThrow().nextRunAt());
        assertTrue(parts.entries.info("broken").isEmpty());
        assertTrue(parts.entries.one("broken").isEmpty());
    }
}
