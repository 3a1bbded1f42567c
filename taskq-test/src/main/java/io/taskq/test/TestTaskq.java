package io.taskq.test;

import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.spi.MemoryBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Taskq} for an application's unit tests of its own {@code @Task}s: in memory (no Redis), on a
 * {@link SettableClock}, and with no worker of its own: tasks run when the test calls {@link #runDue()}, which
 * returns once every task due now has run.
 *
 * <pre>{@code
 * try (TestTaskq tq = TestTaskq.create(new EmailTasks())) {
 *     TaskHandle<String> h = tq.taskq().submit(EmailTasks::send, "a@example.com", "Hello");
 *     tq.runDue();
 *     assertEquals("sent to a@example.com", h.get(Duration.ZERO));
 * }
 * }</pre>
 *
 * <p>The tasks run through taskq's real path: the in-memory broker's claims, the worker's decoding, invocation,
 * retry decisions and reports, one task at a time on a worker thread while {@code runDue} waits. A retry is
 * scheduled on the settable clock: {@link #advanceAndRunDue advance} it by the backoff and the next attempt runs.
 * Tasks run queue by queue in name order, by priority and then submit order within a queue.
 */
public final class TestTaskq implements AutoCloseable {
    /** A bound on one {@link #runDue()}, against tasks that submit each other without end. */
    static final int MAX_TASKS_PER_RUN = 10_000;

    private final SettableClock clock;
    private final MemoryBroker broker;
    private final RunGate gate;
    private final Taskq taskq;

    TestTaskq(SettableClock clock, int maxTasksPerRun, Object[] tasks) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.broker = MemoryBroker.create(clock);
        this.gate = new RunGate(broker, maxTasksPerRun);
        this.taskq = Taskq.builder().broker(gate).resultBackend(broker).closeBrokerOnClose(true).clock(clock)
                .tasks(tasks).build();
    }

    /** A test taskq with these task objects, on a settable clock at the current time. */
    public static TestTaskq create(Object... tasks) {
        return new TestTaskq(new SettableClock(), MAX_TASKS_PER_RUN, tasks);
    }

    /** A test taskq with these task objects, on the given clock. */
    public static TestTaskq create(SettableClock clock, Object... tasks) {
        return new TestTaskq(clock, MAX_TASKS_PER_RUN, tasks);
    }

    /** The taskq to submit, follow and inspect tasks with (and to hand to the code under test). */
    public Taskq taskq() {
        return taskq;
    }

    /** The clock of the broker, the worker and every submit. */
    public SettableClock clock() {
        return clock;
    }

    /**
     * Runs every task due now, until none is: those submitted since the last run, countdowns and ETAs the clock has
     * reached, retries whose backoff has passed, and the tasks these tasks submit that are due at once. Returns when
     * they have run and their outcomes are stored, so that their handles answer at once.
     *
     * @return the tasks that ran, in the order they finished (a task run twice, by a retry due at once, twice)
     * @throws IllegalStateException if more than 10,000 tasks ran (tasks that keep submitting each other), or no
     *                               task is registered while tasks wait
     */
    public synchronized List<RanTask> runDue() {
        List<RanTask> ran = new ArrayList<>();
        Set<String> queues = broker.queues();
        while (!queues.isEmpty()) {
            ran.addAll(runOnce(queues));
            Set<String> now = broker.queues();
            if (now.equals(queues)) {
                break;
            }
            queues = now; // a task submitted to a queue of its own: run that too
        }
        return List.copyOf(ran);
    }

    /** Moves the clock forward by {@code amount}, then {@link #runDue() runs what is due}. */
    public List<RanTask> advanceAndRunDue(Duration amount) {
        clock.advance(amount);
        return runDue();
    }

    private List<RanTask> runOnce(Set<String> queues) {
        Worker worker = taskq.startWorker(WorkerOptions.builder().workerId("taskq-test").concurrency(1)
                .prefetch(0).queues(queues.toArray(String[]::new)).queueOrder(WorkerOptions.QueueOrder.STRICT)
                .claimWait(Duration.ofMillis(200)).build());
        // Opened once the worker exists, so that a worker that failed to start leaves no run open.
        gate.open();
        try {
            return gate.awaitEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the due tasks ran", e);
        } finally {
            worker.close();
        }
    }

    /** Closes the taskq and its in-memory broker. */
    @Override
    public void close() {
        taskq.close();
    }
}
