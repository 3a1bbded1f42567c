package io.taskq.contract;

import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the end-to-end contracts share: a new broker per test (its own namespace) on a settable clock, a
 * {@link Taskq} over it with the contract's task instance, and the worker settings they run with; all closed after
 * each test. A broker module runs a contract by extending it and making its broker.
 *
 * @param <T> the contract's task class
 */
public abstract class TaskqFixture<T> {
    protected static final Duration WAIT = Duration.ofSeconds(20);

    protected MutableClock clock;
    protected Broker broker;
    protected T tasks;
    protected Taskq taskq;

    /** A new, empty broker (its own namespace) on the given clock; closed after each test. */
    protected abstract Broker newBroker(Clock clock);

    /** The contract's tasks for one test. */
    protected abstract T newTasks();

    /** Lets every task still waiting on the test go, before the taskq closes. */
    protected abstract void release(T tasks);

    @BeforeEach
    void open() {
        clock = new MutableClock();
        broker = newBroker(clock);
        tasks = newTasks();
        taskq = Taskq.builder().broker(broker).clock(clock).tasks(tasks).build();
    }

    @AfterEach
    void close() {
        release(tasks);
        taskq.close();
        broker.close();
    }

    /** Four threads, short claim waits and grace, so that tests of limits and shutdowns end quickly. */
    protected static WorkerOptions.Builder quickWorker(String... queues) {
        return WorkerOptions.builder().concurrency(4).queues(queues).claimWait(Duration.ofMillis(500))
                .shutdownGrace(Duration.ofSeconds(5)).abandonAfter(Duration.ofMillis(300));
    }
}
