package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Money;
import io.taskq.contract.MoneyTasks;
import io.taskq.scheduler.internal.InMemoryScheduleStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A periodic task's arguments given as Java values are stored as the taskq's configured mapper writes them. */
class PeriodicArgsObjectMapperTest {
    private final InMemoryScheduleStore store = new InMemoryScheduleStore();
    private final Taskq taskq = Taskq.builder().objectMapper(JsonMapper.builder().addModule(Money.module()).build())
            .tasks(new MoneyTasks()).build();
    private final Scheduler scheduler = Scheduler.builder().taskq(taskq).store(store)
            .declare(PeriodicTask.builder("declared", "money.total", Schedule.every(Duration.ofHours(1)))
                    .args(Money.parse("2 EUR"), List.of()).build())
            .build();

    @AfterEach
    void close() {
        scheduler.close();
        taskq.close();
    }

    @Test
    void argumentsAreStoredInTheMappersFormAndRunWithIt() throws Exception {
        PeriodicTask entry = PeriodicTask.builder("fees", "money.total", Schedule.every(Duration.ofHours(1)))
                .args(Money.parse("12.34 EUR"), List.of(Money.parse("0.66 EUR"))).build();
        assertEquals("[\"12.34 EUR\",[\"0.66 EUR\"]]", scheduler.add(entry, "test").task().args());
        assertTrue(store.entry("fees").orElseThrow().json().contains("\"args\":[\"12.34 EUR\",[\"0.66 EUR\"]]"),
                store.entry("fees").orElseThrow().json());
        taskq.startWorker(WorkerOptions.builder().concurrency(1).build());
        assertEquals("13.00 EUR", scheduler.runNow("fees", "test").get(Duration.ofSeconds(20)));
    }

    @Test
    void declaredArgumentsToo() {
        scheduler.start();
        assertEquals("[\"2 EUR\",[]]", scheduler.entry("declared").orElseThrow().task().args());
    }

    @Test
    void valuesOnlyTheApplicationsMapperKnowsHaveNoJsonBeforeAScheduler() {
        // Money has no bean properties: taskq's own mapper writes {} (the JSON it would store without the module).
        assertEquals("[{}]", PeriodicTask.builder("x", "money.total", Schedule.every(Duration.ofHours(1)))
                .args(Money.parse("1 EUR")).build().args());
        PeriodicTask thread = PeriodicTask.builder("x", "money.total", Schedule.every(Duration.ofHours(1)))
                .args(Thread.currentThread()).build();
        assertThrows(IllegalStateException.class, thread::args);
        assertThrows(IllegalArgumentException.class, () -> scheduler.add(thread, "test"));
    }
}
