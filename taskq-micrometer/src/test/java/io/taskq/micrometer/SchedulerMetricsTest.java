package io.taskq.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskq.Taskq;
import io.taskq.contract.Await;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The scheduler listener's calls become the leader gauge, the lag timer and the run counters. */
class SchedulerMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Instant due = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void leadershipLagAndRunsAreMetered() {
        SchedulerMetrics m = new SchedulerMetrics(registry);
        m.leadershipChanged("s-1", true);
        m.runPublished("nightly", "run-1", due, due.plusMillis(250));
        m.runPublished("nightly", "run-2", due, due.plusMillis(750));
        m.runPublished("nightly", "run-3", due, due.minusSeconds(1));
        m.runsMissed("nightly", due.minus(Duration.ofDays(2)), due, MissedRunPolicy.runOnce());
        m.runSkipped("hourly", due, "run-0");
        m.runSkipped("hourly", due, "run-0");
        m.iterationFailed(new TimeoutException("store"));

        Scrape s = Scrape.of(registry);
        assertEquals(1.0, s.value("taskq_scheduler_leader"), s.toString());
        assertEquals(3.0, s.value("taskq_scheduler_lag_seconds_count{entry=\"nightly\"}"));
        assertEquals(1.0, s.value("taskq_scheduler_lag_seconds_sum{entry=\"nightly\"}"), 1e-9,
                "a negative lag (clock skew) counts as zero");
        assertEquals(0.75, s.value("taskq_scheduler_lag_seconds_max{entry=\"nightly\"}"), 1e-9);
        assertEquals(1.0, s.value("taskq_scheduler_runs_missed_total{entry=\"nightly\",policy=\"run_once\"}"));
        assertEquals(2.0, s.value("taskq_scheduler_runs_skipped_total{entry=\"hourly\"}"));
        assertEquals(1.0, s.value("taskq_scheduler_errors_total{exception=\"TimeoutException\"}"));

        m.leadershipChanged("s-1", false);
        assertEquals(0.0, Scrape.of(registry).value("taskq_scheduler_leader"));
        m.close();
        assertNull(Scrape.of(registry).value("taskq_scheduler_leader"));
    }

    @Test
    void aRunningSchedulerReportsItsLeadershipAndARunNowsPublish() {
        SchedulerMetrics m = new SchedulerMetrics(registry);
        try (Taskq taskq = Taskq.builder().tasks(new MetricsTasks()).build();
             Scheduler scheduler = Scheduler.builder().taskq(taskq).listener(m)
                     .declare(PeriodicTask.builder("tick", "m.ok", Schedule.every(Duration.ofHours(1))).args("x")
                             .build())
                     .build().start()) {
            Await.until(Duration.ofSeconds(20), "leadership", () -> Double.valueOf(1.0)
                    .equals(Scrape.of(registry).value("taskq_scheduler_leader")));
            scheduler.runNow("tick", "test");
            Scrape s = Scrape.of(registry);
            assertEquals(1.0, s.value("taskq_scheduler_lag_seconds_count{entry=\"tick\"}"), s.toString());
            assertEquals(0.0, s.value("taskq_scheduler_lag_seconds_sum{entry=\"tick\"}"), "a run-now has no lag");
        }
    }

    @Test
    void entriesPastTheCapAreCountedAsOther() {
        SchedulerMetrics m = new SchedulerMetrics(registry, 1);
        m.runSkipped("a", due, "r");
        m.runSkipped("b", due, "r");
        m.runSkipped("c", due, "r");
        Scrape s = Scrape.of(registry);
        assertEquals(1.0, s.value("taskq_scheduler_runs_skipped_total{entry=\"a\"}"), s.toString());
        assertEquals(2.0, s.value("taskq_scheduler_runs_skipped_total{entry=\"other\"}"));
    }
}
