package io.taskq.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskq.TaskEvent;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.contract.Await;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.MemoryBroker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The wiring of docs/metrics.md (its snippets are these lines), run end to end on the in-memory broker. */
class MetricsWiringTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void everyPartWiredAsTheDocsShowReportsToOneRegistry() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MemoryBroker broker = MemoryBroker.create();

        TaskqMetrics metrics = TaskqMetrics.builder(registry).queuePollInterval(Duration.ofSeconds(15)).build();
        Taskq taskq = Taskq.builder()
                .broker(metrics.wrap(broker))      // taskq.broker.errors
                .resultBackend(broker)
                .listener(metrics.listener())      // taskq.tasks.*, taskq.task.*
                .tasks(new Emails())
                .build();
        metrics.bind(taskq);                       // taskq.queue.*, polled every 15 s
        Worker worker = taskq.startWorker();
        metrics.bind(worker);                      // taskq.worker.*

        SchedulerMetrics schedulerMetrics = new SchedulerMetrics(registry);
        Scheduler scheduler = Scheduler.builder()
                .taskq(taskq)
                .leases(broker)                    // the wrapper is only a Broker
                .listener(schedulerMetrics)        // taskq.scheduler.*
                .declare(PeriodicTask.builder("digest", "emails.send", Schedule.every(Duration.ofHours(1)))
                        .args("team@example.com").build())
                .build()
                .start();

        assertEquals("sent to a@example.com", taskq.submit(Emails::send, "a@example.com").get(WAIT));
        metrics.pollQueues();                      // the timer's first poll ran before the queue existed
        Await.until(WAIT, "leadership", () -> Double.valueOf(1.0)
                .equals(Scrape.of(registry).value("taskq_scheduler_leader")));
        Scrape s = Scrape.of(registry);
        assertEquals(1.0, s.value("taskq_tasks_submitted_total{queue=\"default\",task=\"emails.send\"}"), s.toString());
        assertEquals(1.0, s.value(
                "taskq_tasks_completed_total{outcome=\"succeeded\",queue=\"default\",task=\"emails.send\"}"));
        assertEquals(0.0, s.value("taskq_queue_ready{queue=\"default\"}"));
        assertEquals(1.0, s.value("taskq_worker_healthy{worker=\"" + worker.id() + "\"}"));

        scheduler.close();
        schedulerMetrics.close();
        worker.close();
        metrics.unbind(worker);
        taskq.close();
        metrics.close();
        broker.close();
    }

    @Test
    void aMeterFilterTurnsOnHistogramsForPercentiles() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        histograms(registry);
        TaskqMetrics metrics = TaskqMetrics.builder(registry).build();
        metrics.listener().onEvent(TaskEvent.builder(TaskEvent.Kind.STARTED, "id", "default", Instant.now())
                .worker("w", 1).taskName("emails.send").times(Duration.ofMillis(40), null).build());
        Scrape s = Scrape.of(registry);
        assertTrue(s.has("taskq_task_wait_seconds_bucket{queue=\"default\",task=\"emails.send\",le=\""), s.toString());
    }

    /** Histogram buckets for the task timers, for PromQL's histogram_quantile (before any meter is registered). */
    static void histograms(MeterRegistry registry) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith("taskq.task.")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        });
    }

    /** The beans of docs/metrics.md's Spring Boot section, without Spring: the annotations are the only difference. */
    static final class Beans {
        TaskqMetrics taskqMetrics(MeterRegistry registry) {
            return TaskqMetrics.builder(registry).build();
        }

        SchedulerMetrics taskqSchedulerMetrics(MeterRegistry registry) {
            return new SchedulerMetrics(registry);
        }
    }

    /** The queue poll alone, on your own schedule (a zero interval starts no thread). */
    static void pollByHand(MeterRegistry registry, Taskq taskq) {
        TaskqMetrics metrics = TaskqMetrics.builder(registry).queuePollInterval(Duration.ZERO).build();
        metrics.bind(taskq);
        metrics.pollQueues();
    }
}
