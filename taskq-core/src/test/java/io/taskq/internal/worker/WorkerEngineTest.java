package io.taskq.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Await;
import io.taskq.internal.DataCodec;
import io.taskq.internal.TaskRegistry;
import io.taskq.internal.WorkerExtensions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The coordinator: it starts no thread before {@link WorkerEngine#start()}, and every thread from the factory. */
class WorkerEngineTest {

    @Test
    void startsItsThreadsInStartAndAllFromTheInjectedFactory() {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = r -> {
            Thread t = TestWorkers.daemon(r);
            made.add(t);
            return t;
        };
        WorkerEngine w = new WorkerEngine(new ScriptedBroker(), TaskRegistry.scan(List.of()), Clock.systemUTC(),
                TestWorkers.options().leaseRenewInterval(Duration.ofMillis(50)).build(), DataCodec.defaults(),
                new WorkerExtensions(List.of(), List.of(), java.util.Map.of()), new ManualTicker(), factory);
        assertTrue(made.isEmpty(), "no thread before start(): " + made);
        assertFalse(w.holdsAhead(), "no prefetch configured");
        try {
            w.start();
            Set<String> expected = Set.of("taskq-fetch-w1", "taskq-report-w1", "taskq-timer-w1");
            Await.until(Duration.ofSeconds(10), "the fetch, report and timer threads", () -> made.stream()
                    .map(Thread::getName).collect(Collectors.toSet()).containsAll(expected));
            assertTrue(w.isHealthy());
            assertThrows(IllegalStateException.class, w::start);
        } finally {
            w.close();
        }
        assertFalse(w.isHealthy());
        assertEquals(0, w.activeCount());
    }
}
