package io.taskq.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each bound worker has gauges tagged with its id, until it is unbound. */
class WorkerGaugesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsTasks tasks = new MetricsTasks();
    private final Taskq taskq = Taskq.builder().tasks(tasks).build();
    private final TaskqMetrics metrics = TaskqMetrics.builder(registry).build();

    @AfterEach
    void close() {
        tasks.release.countDown();
        taskq.close();
        metrics.close();
    }

    private Worker start(String id) {
        return taskq.startWorker(WorkerOptions.builder().workerId(id).concurrency(1).claimWait(Duration.ofMillis(100))
                .shutdownGrace(Duration.ofSeconds(5)).build());
    }

    @Test
    void aWorkersActiveAndHealthyGaugesFollowItAndUnbindRemovesThem() throws InterruptedException {
        Worker w1 = start("w-1");
        Worker w2 = start("w-2");
        metrics.bind(w1);
        metrics.bind(w2);
        taskq.submit(MetricsTasks::block);
        assertTrue(tasks.started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        Await.until(WAIT, "one worker runs the task", () -> active("w-1") + active("w-2") == 1.0);
        Scrape s = Scrape.of(registry);
        assertEquals(1.0, s.value("taskq_worker_healthy{worker=\"w-1\"}"), s.toString());
        assertEquals(0.0, s.value("taskq_worker_held{worker=\"w-1\"}"));
        assertEquals(0.0, s.value("taskq_worker_abandoned{worker=\"w-2\"}"));
        assertEquals(0.0, s.value("taskq_worker_stale_outcomes_total{worker=\"w-2\"}"));

        tasks.release.countDown();
        Await.until(WAIT, "the task ends", () -> active("w-1") + active("w-2") == 0.0);
        metrics.unbind(w1);
        s = Scrape.of(registry);
        assertNull(s.value("taskq_worker_active{worker=\"w-1\"}"), s.toString());
        assertEquals(0.0, s.value("taskq_worker_active{worker=\"w-2\"}"));
    }

    @Test
    void aNewWorkerWithAnEarlierWorkersIdReplacesItsGauges() {
        Worker first = start("same");
        metrics.bind(first);
        first.close();
        Worker second = start("same");
        metrics.bind(second);
        assertEquals(1.0, Scrape.of(registry).value("taskq_worker_healthy{worker=\"same\"}"),
                "the second worker's, not the closed one's");
        assertEquals(1, registry.find(TaskqMeters.WORKER_ACTIVE).gauges().size());
    }

    private double active(String worker) {
        Double v = Scrape.of(registry).value("taskq_worker_active{worker=\"" + worker + "\"}");
        return v == null ? -1 : v;
    }
}
