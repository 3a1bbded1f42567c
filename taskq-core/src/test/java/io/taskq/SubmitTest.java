package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.ContractTasks;
import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.Broker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Submitting: retries of transient broker failures, per-task reports of a failed batch, a closed taskq. */
class SubmitTest {
    /** A broker failure that passes if the call is made again. */
    static final class Blip extends RuntimeException {
        Blip() {
            super("connection lost");
        }
    }

    /** The in-memory broker, whose enqueue fails transiently the first {@code failures} times. */
    private static Broker failing(InMemoryBroker memory, int failures, AtomicInteger calls) {
        return (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(), new Class<?>[] {Broker.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("isTransient")) {
                        return args[0] instanceof Blip;
                    }
                    if (method.getName().equals("enqueue") && calls.incrementAndGet() <= failures) {
                        throw new Blip();
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aTransientFailureIsRetriedWithTheSameIds() {
        InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
        AtomicInteger calls = new AtomicInteger();
        try (Taskq taskq = Taskq.builder().broker(failing(memory, 2, calls)).resultBackend(memory)
                .tasks(new ContractTasks()).build()) {
            TaskHandle<Integer> h = taskq.submit(ContractTasks::add, 1, 2);
            assertEquals(3, calls.get(), "two failures, then it went through");
            assertEquals(1, memory.stats(h.queue()).ready());
        }
    }

    /**
     * A client library that sends a command again after a reconnect makes the broker see the id twice: the second
     * copy answers "known". A generated id can only be this submit's; an explicit one may be a real duplicate.
     */
    @Test
    void aGeneratedIdTheBrokerAlreadyKnewWasCreatedByThisSubmit() {
        InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
        Broker resending = (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(), new Class<?>[] {Broker.class},
                (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("enqueue")) {
                            method.invoke(memory, args); // the copy whose reply was lost
                        }
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Taskq taskq = Taskq.builder().broker(resending).resultBackend(memory).tasks(new ContractTasks())
                .build()) {
            assertTrue(taskq.submit(ContractTasks::add, 1, 2).created());
            assertTrue(taskq.submitAll(List.of(TaskRequest.of(ContractTasks::add, 1, 2))).get(0).created());
            assertFalse(taskq.submit(TaskRequest.of(ContractTasks::add, 1, 2).id("explicit-1")).created(),
                    "an explicit id cannot be told from a duplicate");
        }
    }

    /** Every reply lost, every command run: the failed submit finds its tasks in the broker and says so. */
    @Test
    void aFailedBatchWhoseTasksLandedSaysTheyAreSubmitted() {
        InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
        Broker repliesLost = (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(),
                new Class<?>[] {Broker.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isTransient")) {
                        return args[0] instanceof Blip;
                    }
                    try {
                        Object r = method.invoke(memory, args);
                        if (method.getName().equals("enqueue") && ((List<?>) args[0]).size() == 2) {
                            throw new Blip();
                        }
                        return r;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Taskq taskq = Taskq.builder().broker(repliesLost).resultBackend(memory)
                .submitRetryTimeout(Duration.ofMillis(200)).tasks(new ContractTasks()).build()) {
            SubmitException e = assertThrows(SubmitException.class, () -> taskq.submitAll(List.of(
                    TaskRequest.of(ContractTasks::add, 1, 2), TaskRequest.of(ContractTasks::add, 3, 4))));
            assertEquals(e.handles(), e.submitted());
            assertEquals(List.of(), e.failed());
            assertEquals(List.of(), e.retryRequests());
            assertTrue(e.getMessage().endsWith("all of them are in the broker all the same"), e.getMessage());
            assertEquals(2, memory.stats("default").ready(), "each once");
        }
    }

    @Test
    void aBatchThatCannotBeSentSaysWhichTasksAndHowToSendThemAgain() {
        InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
        AtomicInteger calls = new AtomicInteger();
        try (Taskq taskq = Taskq.builder().broker(failing(memory, Integer.MAX_VALUE, calls)).resultBackend(memory)
                .submitRetryTimeout(Duration.ofMillis(300)).tasks(new ContractTasks()).build();
             Taskq healthy = Taskq.builder().broker(memory).tasks(new ContractTasks()).build()) {
            List<TaskRequest<?>> batch = List.of(TaskRequest.of(ContractTasks::add, 1, 2),
                    TaskRequest.of(ContractTasks::add, 3, 4));
            long start = System.nanoTime();
            SubmitException e = assertThrows(SubmitException.class, () -> taskq.submitAll(batch));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "bounded by the retry budget");
            assertTrue(calls.get() > 1, "retried");
            assertTrue(e.getCause() instanceof Blip);
            assertEquals(2, e.handles().size());
            assertEquals(List.of(), e.submitted());
            assertEquals(e.handles(), e.failed());
            assertTrue(e.getMessage().startsWith("submit of 2 tasks (" + e.handles().get(0).id() + " ...) failed"),
                    e.getMessage());
            // Sent again elsewhere with the same ids, and a second time: each task exists once.
            List<TaskHandle<?>> again = healthy.submitAll(e.retryRequests());
            healthy.submitAll(e.retryRequests());
            assertEquals(e.handles().stream().map(TaskHandle::id).toList(), again.stream().map(TaskHandle::id).toList());
            assertEquals(2, memory.stats("default").ready());
        }
    }

    @Test
    void aFailureThatRepeatsIsNotRetried() {
        InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
        AtomicInteger calls = new AtomicInteger();
        Broker refusing = (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(), new Class<?>[] {Broker.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("enqueue")) {
                        calls.incrementAndGet();
                        throw new IllegalStateException("NOPERM");
                    }
                    return method.getName().equals("isTransient") ? false : method.invoke(memory, args);
                });
        try (Taskq taskq = Taskq.builder().broker(refusing).resultBackend(memory).tasks(new ContractTasks()).build()) {
            SubmitException e = assertThrows(SubmitException.class, () -> taskq.submit(ContractTasks::add, 1, 2));
            assertEquals(1, calls.get());
            assertEquals(1, e.failed().size());
            assertTrue(e.getMessage().startsWith("submit of task " + e.handles().get(0).id() + " failed"),
                    e.getMessage());
        }
    }

    @Test
    void aClosedTaskqRefusesSubmitsAndWorkers() {
        Taskq taskq = Taskq.builder().tasks(new ContractTasks()).build();
        taskq.close();
        assertEquals("taskq is closed",
                assertThrows(IllegalStateException.class, () -> taskq.submit(ContractTasks::add, 1, 2)).getMessage());
        assertEquals("taskq is closed", assertThrows(IllegalStateException.class,
                () -> taskq.submitAll(List.of(TaskRequest.of(ContractTasks::add, 1, 2)))).getMessage());
        assertEquals("taskq is closed",
                assertThrows(IllegalStateException.class, () -> taskq.startWorker()).getMessage());
    }
}
