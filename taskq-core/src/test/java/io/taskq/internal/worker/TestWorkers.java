package io.taskq.internal.worker;

import io.taskq.WorkerOptions;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Builds the shared context of a worker's parts for tests of one part. */
final class TestWorkers {
    static final String ID = "w1";

    private TestWorkers() {
    }

    /** Options on queue "default" with a claim wait long enough that a test never sees it run out. */
    static WorkerOptions.Builder options() {
        return WorkerOptions.builder().workerId(ID).queues("default").prefetch(0).claimWait(Duration.ofSeconds(30));
    }

    static WorkerContext context(Broker broker, Ticker ticker, WorkerOptions options) {
        return new WorkerContext(broker, null, Clock.systemUTC(), ticker, options, ID,
                new WorkerThreads(TestWorkers::daemon, ID), new WorkerEvents(List.of(), Clock.systemUTC(), ID));
    }

    static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    }
}
