package io.taskq.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskq.TaskEvent;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Task events become counters and timers per task, queue and outcome, as a Prometheus scrape shows them. */
class TaskEventMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsTasks tasks = new MetricsTasks();
    private TaskqMetrics metrics;
    private Taskq taskq;

    private Taskq taskq(TaskqMetrics m) {
        metrics = m;
        taskq = Taskq.builder().listener(m.listener()).tasks(tasks).build();
        taskq.startWorker(WorkerOptions.builder().concurrency(2).claimWait(Duration.ofMillis(100))
                .shutdownGrace(Duration.ofSeconds(5)).build());
        return taskq;
    }

    @AfterEach
    void close() {
        tasks.release.countDown();
        if (taskq != null) {
            taskq.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void successesRetriesAndDeadLettersAreCountedPerTaskQueueAndOutcome() throws Exception {
        taskq(TaskqMetrics.builder(registry).build());
        for (String s : List.of("a", "b", "c")) {
            assertEquals("ok " + s, taskq.submit(MetricsTasks::ok, s).get(WAIT));
        }
        assertEquals("fine", taskq.submit(MetricsTasks::flaky).get(WAIT));
        TaskHandle<String> dead = taskq.submit(MetricsTasks::dead);
        assertThrows(TaskFailedException.class, () -> dead.get(WAIT));
        Await.until(WAIT, "the dead letter counted", () -> count("m.dead", "dead_lettered") == 1);

        Scrape s = Scrape.of(registry);
        assertEquals(3.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"m.ok\"}"), s.toString());
        assertEquals(1.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"m.flaky\"}"));
        assertEquals(3.0, s.value(completed("m.ok", "succeeded")));
        assertEquals(1.0, s.value(completed("m.flaky", "failed")));
        assertEquals(1.0, s.value(completed("m.flaky", "retried")));
        assertEquals(1.0, s.value(completed("m.flaky", "succeeded")));
        assertEquals(1.0, s.value(completed("m.dead", "failed")));
        assertEquals(1.0, s.value(completed("m.dead", "dead_lettered")));
        assertNull(s.value(completed("m.dead", "retried")));

        assertEquals(3.0, s.value(
                "taskq_task_runtime_seconds_count{outcome=\"succeeded\",queue=\"default\",task=\"m.ok\"}"));
        assertEquals(1.0, s.value(
                "taskq_task_runtime_seconds_count{outcome=\"failed\",queue=\"default\",task=\"m.flaky\"}"));
        assertNull(s.value("taskq_task_runtime_seconds_count{outcome=\"retried\",queue=\"default\",task=\"m.flaky\"}"),
                "the failed attempt is timed once, as failed");
        assertEquals(3.0, s.value("taskq_task_wait_seconds_count{queue=\"default\",task=\"m.ok\"}"));
        assertEquals(2.0, s.value("taskq_task_wait_seconds_count{queue=\"default\",task=\"m.flaky\"}"),
                "each attempt's start");
        assertTrue(s.value("taskq_task_wait_seconds_sum{queue=\"default\",task=\"m.ok\"}") >= 0);
        assertFalse(s.has(dead.id()), "no task id in any series");
    }

    @Test
    void taskNamesPastTheCapAreCountedAsOther() {
        TaskqMetrics m = TaskqMetrics.builder(registry).maxTaskNames(3).maxQueues(1).build();
        metrics = m;
        for (int i = 0; i < 10; i++) {
            m.listener().onEvent(sent("t" + i, "default"));
        }
        m.listener().onEvent(sent("t1", "default"));
        m.listener().onEvent(sent("t0", "another"));
        m.listener().onEvent(sent(null, "default"));

        Scrape s = Scrape.of(registry);
        assertEquals(1.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"t0\"}"), s.toString());
        assertEquals(2.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"t1\"}"));
        assertEquals(1.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"t2\"}"));
        assertEquals(7.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"other\"}"));
        assertEquals(1.0, s.value("taskq_tasks_submitted_total{queue=\"other\",task=\"t0\"}"));
        assertEquals(1.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"unknown\"}"));
        assertEquals(6, registry.find(TaskqMeters.TASKS_SUBMITTED).counters().size());
    }

    @Test
    void aRegistryThatThrowsDisturbsNeitherTheListenerNorTheTasks() throws Exception {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                throw new IllegalStateException("a broken meter filter");
            }
        });
        taskq(TaskqMetrics.builder(registry).build());
        metrics.listener().onEvent(sent("x", "default"));
        assertEquals("ok a", taskq.submit(MetricsTasks::ok, "a").get(WAIT));
    }

    @Test
    void negativeWaitsFromSkewedClocksAreRecordedAsZeroAndStartsWithoutAWaitAreNot() {
        metrics = TaskqMetrics.builder(registry).build();
        Instant now = Instant.now();
        List<TaskEvent> events = new ArrayList<>();
        events.add(TaskEvent.builder(TaskEvent.Kind.STARTED, "id-1", "q", now).worker("w", 1).taskName("t")
                .times(Duration.ofSeconds(-3), null).build());
        events.add(TaskEvent.builder(TaskEvent.Kind.STARTED, "id-2", "q", now).worker("w", 1).taskName("t").build());
        events.forEach(metrics.listener()::onEvent);
        var timer = registry.find(TaskqMeters.TASK_WAIT).tags(TaskqMeters.TASK, "t").timer();
        assertNotNull(timer);
        assertEquals(1, timer.count());
        assertEquals(0.0, timer.totalTime(java.util.concurrent.TimeUnit.SECONDS));
    }

    private static TaskEvent sent(String task, String queue) {
        return TaskEvent.builder(TaskEvent.Kind.SENT, "id", queue, Instant.now()).taskName(task).build();
    }

    private static String completed(String task, String outcome) {
        return "taskq_tasks_completed_total{outcome=\"" + outcome + "\",queue=\"default\",task=\"" + task + "\"}";
    }

    private double count(String task, String outcome) {
        var c = registry.find(TaskqMeters.TASKS_COMPLETED).tags(TaskqMeters.TASK, task, TaskqMeters.OUTCOME, outcome)
                .counter();
        return c == null ? 0 : c.count();
    }
}
