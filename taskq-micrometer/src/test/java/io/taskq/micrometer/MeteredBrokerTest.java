package io.taskq.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskq.Taskq;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.MemoryBroker;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskMessage;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import io.taskq.spi.TaskLocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MeteredBroker counts the failures of every hot-path call, rethrows them as they were, and changes nothing else. */
class MeteredBrokerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TaskqMetrics metrics = TaskqMetrics.builder(registry).build();
    private final MemoryBroker memory = MemoryBroker.create();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /** The in-memory broker, failing every hot-path call while {@link #failure} is set; transient if it says so. */
    private final Broker flaky = new ForwardingBroker(memory) {
        @Override
        public List<Boolean> enqueue(List<TaskMessage> messages) {
            fail();
            return super.enqueue(messages);
        }

        @Override
        public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
            fail();
            return super.claim(request);
        }

        @Override
        public RevokeResult revoke(String queue, String id, String reason) {
            fail();
            return super.revoke(queue, id, reason);
        }

        @Override
        public boolean isTransient(RuntimeException e) {
            return e.getMessage().contains("transient");
        }

        private void fail() {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
        }
    };

    @AfterEach
    void close() {
        metrics.close();
        memory.close();
    }

    @Test
    void failuresAreCountedPerOperationExceptionAndTransienceAndRethrownAsTheyWere() {
        MeteredBroker broker = metrics.wrap(flaky);
        IllegalStateException down = new IllegalStateException("transient: connection lost");
        failure.set(down);
        assertSame(down, assertThrows(IllegalStateException.class, () -> broker.revoke("q", "id", "why")));
        assertThrows(IllegalStateException.class, () -> broker.revoke("q", "id", "why"));
        failure.set(new IllegalArgumentException("bad script"));
        assertThrows(IllegalArgumentException.class, () -> broker.claim(
                new ClaimRequest("c", List.of("q"), 1, Duration.ofSeconds(30), Duration.ZERO)));

        Scrape s = Scrape.of(registry);
        assertEquals(2.0, s.value("taskq_broker_errors_total{exception=\"IllegalStateException\",operation=\"revoke\","
                + "transient=\"true\"}"), s.toString());
        assertEquals(1.0, s.value("taskq_broker_errors_total{exception=\"IllegalArgumentException\","
                + "operation=\"claim\",transient=\"false\"}"));
    }

    @Test
    void aTaskqOverTheWrappedBrokerWorksAsBeforeAndCountsNothingWhileNothingFails() throws Exception {
        try (Taskq taskq = Taskq.builder().broker(metrics.wrap(memory)).resultBackend(memory)
                .tasks(new MetricsTasks()).build()) {
            taskq.startWorker();
            assertEquals("ok a", taskq.submit(MetricsTasks::ok, "a").get(Duration.ofSeconds(20)));
            assertEquals(0, taskq.queueAdmin().stats("default").ready(), "the administration passes through");
        }
        assertTrue(registry.find(TaskqMeters.BROKER_ERRORS).counters().isEmpty());
    }

    @Test
    void aCapabilityTheBrokerLacksIsNoError() {
        Broker lacking = new ForwardingBroker(memory) {
            @Override
            public Map<String, TaskLocation> locate(Collection<String> ids) {
                throw new UnsupportedOperationException("cannot look tasks up by id");
            }
        };
        MeteredBroker broker = metrics.wrap(lacking);
        assertThrows(UnsupportedOperationException.class, () -> broker.locate(List.of("id")));
        assertNull(registry.find(TaskqMeters.BROKER_ERRORS).counter());
    }

    @Test
    void everyHotPathCallOfTheBrokerIsMetered() {
        List<String> missing = new ArrayList<>();
        for (Method m : Broker.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())
                    || List.of("queueAdmin", "eventLog", "workerRegistry", "controlBus", "resultBackend", "leases",
                    "limitStore", // capabilities
                    "isTransient", "followUpRefusal", "chordRefusal", "limitsRefusal", // local answers, no call to the broker's server
                    "close").contains(m.getName())) {
                continue;
            }
            try {
                MeteredBroker.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        assertEquals(List.of(), missing, "Broker calls MeteredBroker passes on without counting their failures");
    }
}
