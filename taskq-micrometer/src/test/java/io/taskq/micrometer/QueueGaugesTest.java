package io.taskq.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.contract.Await;
import io.taskq.contract.MutableClock;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Queue gauges read the last poll of the queue counts: a scrape never reaches the broker, a failure is counted. */
class QueueGaugesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsTasks tasks = new MetricsTasks();
    private final Taskq taskq = Taskq.builder().tasks(tasks).build();
    private TaskqMetrics metrics;

    @AfterEach
    void close() {
        taskq.close();
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void aPollSetsTheGaugesOfEveryQueueAndScrapesDoNotReachTheBroker() {
        taskq.submit(MetricsTasks::ok, "a");
        taskq.submit(MetricsTasks::ok, "b");
        taskq.submit(TaskRequest.of(MetricsTasks::ok, "later").countdown(Duration.ofHours(1)));
        taskq.submit(TaskRequest.of(MetricsTasks::ok, "mail").queue("emails"));
        CountingAdmin admin = new CountingAdmin(taskq.queueAdmin());
        metrics = TaskqMetrics.builder(registry).queuePollInterval(Duration.ZERO).build();
        metrics.bind(admin);
        assertNull(Scrape.of(registry).value("taskq_queue_ready{queue=\"default\"}"), "nothing before the first poll");

        metrics.pollQueues();
        int calls = admin.calls.get();
        Scrape s = Scrape.of(registry);
        assertEquals(2.0, s.value("taskq_queue_ready{queue=\"default\"}"), s.toString());
        assertEquals(1.0, s.value("taskq_queue_delayed{queue=\"default\"}"));
        assertEquals(0.0, s.value("taskq_queue_running{queue=\"default\"}"));
        assertEquals(0.0, s.value("taskq_queue_dead{queue=\"default\"}"));
        assertEquals(1.0, s.value("taskq_queue_ready{queue=\"emails\"}"));
        Scrape.of(registry);
        assertEquals(calls, admin.calls.get(), "scrapes read the poll");
    }

    @Test
    void theOldestReadyTaskSAgeIsScrapedInSecondsAndZeroWhenNoneIsReady() {
        MutableClock clock = new MutableClock();
        try (Taskq timed = Taskq.builder().tasks(tasks).clock(clock).build()) {
            timed.submit(MetricsTasks::ok, "a");
            timed.submit(TaskRequest.of(MetricsTasks::ok, "later").queue("emails").countdown(Duration.ofHours(1)));
            clock.advance(Duration.ofSeconds(42));
            timed.submit(MetricsTasks::ok, "b");
            metrics = TaskqMetrics.builder(registry).queuePollInterval(Duration.ZERO).build();
            metrics.bind(timed);
            metrics.pollQueues();
            Scrape s = Scrape.of(registry);
            double age = s.value("taskq_queue_oldest_age_seconds{queue=\"default\"}");
            assertTrue(age >= 42.0 && age < 50.0, s.toString());
            assertEquals(0.0, s.value("taskq_queue_oldest_age_seconds{queue=\"emails\"}"), "only a delayed task");
            metrics.close();
            metrics = null;
        }
    }

    @Test
    void aFailedPollIsCountedAndMakesTheCountsUnknownUntilTheNextGoodOne() {
        taskq.submit(MetricsTasks::ok, "a");
        CountingAdmin admin = new CountingAdmin(taskq.queueAdmin());
        metrics = TaskqMetrics.builder(registry).queuePollInterval(Duration.ZERO).build();
        metrics.bind(admin);
        metrics.pollQueues();
        admin.failing = true;
        metrics.pollQueues();
        Scrape s = Scrape.of(registry);
        assertEquals(Double.NaN, s.value("taskq_queue_ready{queue=\"default\"}"), s.toString());
        assertEquals(1.0, s.value("taskq_queue_poll_errors_total{exception=\"IllegalStateException\"}"));
        admin.failing = false;
        metrics.pollQueues();
        assertEquals(1.0, Scrape.of(registry).value("taskq_queue_ready{queue=\"default\"}"));
    }

    @Test
    void theTimerPollsOnTheGivenExecutorAndCloseRemovesTheGauges() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            metrics = TaskqMetrics.builder(registry).queuePollInterval(Duration.ofMillis(20)).pollExecutor(executor)
                    .build();
            metrics.bind(taskq);
            taskq.submit(MetricsTasks::ok, "a");
            Await.until(WAIT, "a poll that sees the task", () -> Double.valueOf(1.0)
                    .equals(Scrape.of(registry).value("taskq_queue_ready{queue=\"default\"}")));
            assertThrows(IllegalStateException.class, () -> metrics.bind(taskq), "one taskq per metrics");
            metrics.close();
            assertNull(Scrape.of(registry).value("taskq_queue_ready{queue=\"default\"}"));
            metrics.pollQueues();
            assertNull(Scrape.of(registry).value("taskq_queue_ready{queue=\"default\"}"), "closed: no more polls");
            assertTrue(!executor.isShutdown(), "the given executor stays the caller's");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void queuesPastTheCapHaveNoGauges() {
        taskq.submit(TaskRequest.of(MetricsTasks::ok, "a").queue("q1"));
        taskq.submit(TaskRequest.of(MetricsTasks::ok, "b").queue("q2"));
        metrics = TaskqMetrics.builder(registry).queuePollInterval(Duration.ZERO).maxQueues(1).build();
        metrics.bind(taskq);
        metrics.pollQueues();
        assertEquals(1, registry.find(TaskqMeters.QUEUE_READY).gauges().size());
    }

    /** A queue administration that counts its calls and fails on demand. */
    private static final class CountingAdmin implements QueueAdmin {
        private final QueueAdmin delegate;
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean failing;

        CountingAdmin(QueueAdmin delegate) {
            this.delegate = delegate;
        }

        private void call() {
            calls.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("broker down");
            }
        }

        @Override
        public Set<String> queues() {
            call();
            return delegate.queues();
        }

        @Override
        public QueueStats stats(String queue) {
            call();
            return delegate.stats(queue);
        }

        @Override
        public TaskPage tasks(String queue, TaskLocation.Place place, TaskPage.Order order, int limit, String cursor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DeadLetter> deadLetters(String queue, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean resubmitDeadLetter(String queue, String id, String newBody) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long purgeDeadLetters(String queue) {
            throw new UnsupportedOperationException();
        }
    }
}
