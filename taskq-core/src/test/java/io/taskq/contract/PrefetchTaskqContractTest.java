package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskRevokedException;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.ResultBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end contract with a prefetching worker: every test of {@link TaskqContractTest} again, with
 * {@link WorkerOptions.Builder#prefetch(int)} on, plus what prefetch promises: held tasks start in claim order on
 * whichever slot frees first, their leases are renewed, a revoke ends them without running, and close() hands them
 * back at once. Every broker module extends this class too.
 */
public abstract class PrefetchTaskqContractTest extends TaskqContractTest {

    @Override
    protected WorkerOptions.Builder options() {
        return super.options().prefetch(2);
    }

    @AfterEach
    void openGates() {
        tasks.gates.values().forEach(CountDownLatch::countDown);
    }

    /** Submits gate tasks and records, in this order, before any worker runs, so that one claim takes them all. */
    private List<TaskHandle<String>> submitGatesThenRecords(List<String> gates, List<String> records) {
        List<TaskHandle<String>> hs = new ArrayList<>();
        for (String g : gates) {
            hs.add(taskq.submit(ContractTasks::gate, g));
        }
        for (String r : records) {
            hs.add(taskq.submit(ContractTasks::record, r));
        }
        return hs;
    }

    private void awaitGatesAndHeld(Worker w, int gates, int held) {
        Await.until(WAIT, gates + " gate(s) running and " + held + " held",
                () -> tasks.gatesEntered.size() == gates && w.heldCount() == held);
    }

    @Test
    void heldTasksStartInClaimOrderOnWhicheverSlotFreesFirst() {
        List<TaskHandle<String>> hs = submitGatesThenRecords(List.of("g1", "g2"), List.of("r1", "r2", "r3"));
        Worker w = taskq.startWorker(options().concurrency(2).prefetch(3).queues("default").build());
        awaitGatesAndHeld(w, 2, 3);
        assertEquals(2, w.activeCount(), "held tasks are not counted as running");
        assertEquals(TaskState.RECEIVED, hs.get(2).state(), "held, not started");

        // g2's slot frees first: all held tasks run on it, oldest first, while g1 keeps its slot.
        tasks.gateOf("g2").countDown();
        for (TaskHandle<String> h : hs.subList(2, 5)) {
            h.get(WAIT);
        }
        assertEquals(List.of("r1", "r2", "r3"), new ArrayList<>(tasks.order));
        assertFalse(hs.get(0).isDone(), "g1 still runs: the held tasks did not wait for it");
        assertEquals(0, w.heldCount());
        Await.until(WAIT, "only g1 running", () -> w.activeCount() == 1);

        tasks.gateOf("g1").countDown();
        assertEquals("g1", hs.get(0).get(WAIT));
        for (TaskHandle<String> h : hs) {
            assertEquals(1, h.info().attempt(), h.id() + " ran once");
        }
    }

    @Test
    void leasesOfHeldTasksAreRenewedWhileALongTaskRuns() throws Exception {
        List<TaskHandle<String>> hs = submitGatesThenRecords(List.of("long"), List.of("r1", "r2"));
        Duration lease = Duration.ofSeconds(3);
        AtomicInteger renewalsOfHeld = new AtomicInteger();
        Set<String> heldIds = Set.of(hs.get(1).id(), hs.get(2).id());
        Broker watched = watched(broker, (method, args) -> {
            @SuppressWarnings("unchecked")
            List<Delivery> ds = method.equals("renew") ? (List<Delivery>) args[1] : List.of();
            if (ds.stream().map(Delivery::id).toList().containsAll(heldIds)) {
                renewalsOfHeld.incrementAndGet();
            }
        });
        try (Taskq workerSide = workerSide(watched)) {
            Worker w = workerSide.startWorker(options().concurrency(1).prefetch(2).lease(lease)
                    .leaseRenewInterval(Duration.ofMillis(100)).build());
            awaitGatesAndHeld(w, 1, 2);
            // Five times most of a lease passes, each time followed by a renewal: 10 s in all, past the 3 s lease.
            // Two renewals after each step, since the first may have read the time before the step.
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(2));
                int seen = renewalsOfHeld.get();
                Await.until(WAIT, "a renewal of the held tasks", () -> renewalsOfHeld.get() >= seen + 2);
            }
            assertTrue(broker.claim(new ClaimRequest("intruder", List.of("default"), 10, lease, Duration.ZERO))
                    .isEmpty(), "no lease ran out, so no other worker gets the held tasks");
            tasks.gateOf("long").countDown();
            for (TaskHandle<String> h : hs) {
                h.get(WAIT);
                assertEquals(1, h.info().attempt(), h.id() + " was never redelivered");
                assertEquals(w.id(), h.info().worker());
            }
        }
    }

    /** The broker, with {@code hook} called with each call's method name and arguments before the call. */
    private static Broker watched(Broker broker, BiConsumer<String, Object[]> hook) {
        return (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(), new Class<?>[] {Broker.class},
                (proxy, method, args) -> {
                    hook.accept(method.getName(), args);
                    try {
                        return method.invoke(broker, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A worker on {@code watched} whose results the test's own taskq reads. */
    private Taskq workerSide(Broker watched) {
        return Taskq.builder().broker(watched).resultBackend((ResultBackend) broker).clock(clock).tasks(tasks).build();
    }

    @Test
    void aFinishingThreadStartsTheNextHeldTaskWithoutWaitingForItsReport() throws Exception {
        List<TaskHandle<String>> hs = submitGatesThenRecords(List.of("g"), List.of("r1", "r2", "r3"));
        String gateId = hs.get(0).id();
        CountDownLatch reportMayGo = new CountDownLatch(1);
        AtomicInteger reportsHeldUp = new AtomicInteger();
        Broker slowReports = watched(broker, (method, args) -> {
            if (method.equals("finishAndClaim") && ((List<?>) args[2]).stream()
                    .anyMatch(o -> ((io.taskq.spi.Outcome) o).delivery().id().equals(gateId))) {
                reportsHeldUp.incrementAndGet();
                try {
                    reportMayGo.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (Taskq workerSide = workerSide(slowReports)) {
            Worker w = workerSide.startWorker(options().concurrency(1).prefetch(3).queues("default").build());
            awaitGatesAndHeld(w, 1, 3);
            tasks.gateOf("g").countDown();
            // While the gate task's outcome is still on its way to the broker, all held tasks have run.
            Await.until(WAIT, "held tasks ran", () -> tasks.order.size() == 3);
            assertFalse(hs.get(0).isDone(), "the gate task's outcome has not reached the broker yet");
            assertEquals(List.of("r1", "r2", "r3"), new ArrayList<>(tasks.order));
            reportMayGo.countDown();
            for (TaskHandle<String> h : hs) {
                h.get(WAIT);
            }
            assertEquals(1, reportsHeldUp.get(), "the gate task's report was held up once");
        }
    }

    @Test
    void aRevokedHeldTaskEndsRevokedWithoutRunning() {
        List<TaskHandle<String>> hs = submitGatesThenRecords(List.of("long"), List.of("victim", "after"));
        Worker w = taskq.startWorker(options().concurrency(1).prefetch(2).lease(Duration.ofSeconds(3))
                .leaseRenewInterval(Duration.ofMillis(100)).build());
        awaitGatesAndHeld(w, 1, 2);
        TaskHandle<String> victim = hs.get(1);
        assertTrue(victim.revoke());
        TaskRevokedException e = assertThrows(TaskRevokedException.class, () -> victim.get(WAIT));
        assertEquals("revoked", e.reason());
        assertEquals(1, w.heldCount(), "the other held task stays");
        assertFalse(hs.get(0).isDone(), "revoked while the long task still ran");

        tasks.gateOf("long").countDown();
        assertEquals("after", hs.get(2).get(WAIT));
        assertEquals(List.of("after"), new ArrayList<>(tasks.order), "the revoked task never ran");
        assertEquals(TaskState.REVOKED, victim.state());
    }

    @Test
    void aHeldTaskThatExpiredWhileHeldIsRevokedAtStart() {
        taskq.submit(ContractTasks::gate, "long");
        TaskHandle<String> late = taskq.submit(TaskRequest.of(ContractTasks::record, "late")
                .expiresIn(Duration.ofSeconds(30)));
        Worker w = taskq.startWorker(options().concurrency(1).prefetch(1).lease(Duration.ofMinutes(10)).build());
        awaitGatesAndHeld(w, 1, 1);
        clock.advance(Duration.ofMinutes(1));
        tasks.gateOf("long").countDown();
        TaskRevokedException e = assertThrows(TaskRevokedException.class, () -> late.get(WAIT));
        assertEquals("expired", e.reason());
        assertEquals(0, tasks.count("record"));
    }

    @Test
    void theTimeLimitStartsWhenAHeldTaskStarts() {
        taskq.submit(ContractTasks::gate, "long");
        TaskHandle<String> limited = taskq.submit(TaskRequest.of(ContractTasks::record, "in time")
                .timeLimit(Duration.ofMillis(300)));
        Worker w = taskq.startWorker(options().concurrency(1).prefetch(1).build());
        awaitGatesAndHeld(w, 1, 1);
        // Held for longer than its limit: the limit must not have started at claim time.
        long heldSince = System.nanoTime();
        Await.until(WAIT, "held past its time limit",
                () -> System.nanoTime() - heldSince > TimeUnit.MILLISECONDS.toNanos(600));
        tasks.gateOf("long").countDown();
        assertEquals("in time", limited.get(WAIT));
    }

    @Test
    void closeHandsHeldTasksBackAtOnceAndAnotherWorkerRunsThemOnce() throws Exception {
        List<TaskHandle<String>> hs = submitGatesThenRecords(List.of("long"), List.of("r1", "r2", "r3"));
        Worker first = taskq.startWorker(options().workerId("first").concurrency(1).prefetch(3)
                .shutdownGrace(Duration.ofSeconds(30)).build());
        awaitGatesAndHeld(first, 1, 3);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(first::close);
        Await.until(WAIT, "held tasks handed back", () -> first.heldCount() == 0);
        Worker second = taskq.startWorker(options().workerId("second").build());
        // The first worker is still in its grace period (its long task runs); the second runs the held tasks.
        for (TaskHandle<String> h : hs.subList(1, 4)) {
            h.get(WAIT);
            assertEquals("second", h.info().worker());
            assertEquals(1, h.info().attempt(), "a hand-back does not count as an attempt");
        }
        assertFalse(closing.isDone(), "the first worker still drains its running task");
        tasks.gateOf("long").countDown();
        closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("long", hs.get(0).get(WAIT));
        assertEquals("first", hs.get(0).info().worker());
        assertEquals(3, tasks.count("record"), "none lost, none run twice");
        assertEquals(Set.of("r1", "r2", "r3"), new HashSet<>(tasks.order));
        assertTrue(second.isHealthy());
    }

    @Test
    void aWorkerWithTooManyAbandonedThreadsHandsItsHeldTasksBack() {
        TaskHandle<String> stuck = taskq.submit(ContractTasks::stubborn);
        List<TaskHandle<String>> hs = submitGatesThenRecords(List.of(), List.of("r1", "r2"));
        Worker unhealthy = taskq.startWorker(options().workerId("unhealthy").concurrency(1).prefetch(2)
                .maxAbandoned(0).build());
        assertThrows(io.taskq.TaskFailedException.class, () -> stuck.get(WAIT));
        Await.until(WAIT, "held tasks handed back", () -> unhealthy.heldCount() == 0 && !unhealthy.isHealthy());
        taskq.startWorker(options().workerId("healthy").build());
        for (TaskHandle<String> h : hs) {
            h.get(WAIT);
            assertEquals("healthy", h.info().worker());
        }
    }

    /** Runs {@code n} short tasks on whatever workers run, and waits for them. */
    private void runShortTasks(int n) {
        List<TaskRequest<?>> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(TaskRequest.of(ContractTasks::noop));
        }
        for (TaskHandle<?> h : taskq.submitAll(rs)) {
            h.get(WAIT);
        }
    }

    @Test
    void adaptivePrefetchHandsBackATaskHeldBehindALongOneAndStopsHolding() {
        Set<String> released = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Integer> fetchClaimSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Broker watched = watched(broker, (method, args) -> {
            if (method.equals("release")) {
                for (Object d : (List<?>) args[0]) {
                    released.add(((Delivery) d).id());
                }
            } else if (method.equals("claim")) {
                fetchClaimSizes.add(((ClaimRequest) args[0]).max());
            }
        });
        try (Taskq workerSide = workerSide(watched)) {
            Worker a = workerSide.startWorker(options().workerId("a").concurrency(1).adaptivePrefetch().build());
            // Short tasks: the worker starts holding one task beyond its slot (on a loaded machine a few may run
            // long enough to need more of them). It holds ahead when its fetch loop, idle after the tasks (so that
            // no task can end holding meanwhile), claims for more than its one slot.
            Await.until(WAIT, "the worker holding ahead", () -> {
                runShortTasks(20);
                int seen = fetchClaimSizes.size();
                Await.until(WAIT, "the idle worker's next claim", () -> fetchClaimSizes.size() > seen);
                return fetchClaimSizes.get(seen) > 1;
            });
            released.clear();
            TaskHandle<String> gate = taskq.submit(ContractTasks::gate, "long");
            Await.until(WAIT, "the long task running", () -> tasks.gatesEntered.contains("long"));
            TaskHandle<String> held = taskq.submit(ContractTasks::record, "held");
            // Held behind the long task; after 50 ms of waiting it goes back to the broker.
            Await.until(WAIT, "the held task handed back", () -> released.contains(held.id()));
            assertEquals(0, a.heldCount());
            assertFalse(gate.isDone());

            Worker b = workerSide.startWorker(options().workerId("b").concurrency(1).build());
            assertEquals("held", held.get(WAIT));
            assertEquals("b", held.info().worker(), "an idle worker ran it while the long task went on");
            assertEquals(1, held.info().attempt(), "a hand-back does not count as an attempt");
            // The busy worker holds nothing any more: the next task goes to the idle one.
            TaskHandle<String> next = taskq.submit(ContractTasks::record, "next");
            assertEquals("next", next.get(WAIT));
            assertEquals("b", next.info().worker());
            assertFalse(gate.isDone());

            tasks.gateOf("long").countDown();
            assertEquals("long", gate.get(WAIT));
            assertEquals("a", gate.info().worker());
            assertEquals(Set.of(held.id()), released, "nothing else was handed back");
            assertTrue(a.isHealthy() && b.isHealthy());
        }
    }

    @Test
    void adaptivePrefetchNeverHoldsWhileTasksAreLong() {
        int n = 6;
        List<Integer> claimSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Broker watched = watched(broker, (method, args) -> {
            if (method.equals("claim")) {
                claimSizes.add(((ClaimRequest) args[0]).max());
            } else if (method.equals("finishAndClaim") && args[3] != null) {
                claimSizes.add(((ClaimRequest) args[3]).max());
            }
        });
        List<TaskHandle<String>> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hs.add(taskq.submit(ContractTasks::gate, "g" + i));
        }
        try (Taskq workerSide = workerSide(watched)) {
            Worker w = workerSide.startWorker(options().concurrency(1).adaptivePrefetch().build());
            for (int i = 0; i < n; i++) {
                String g = "g" + i;
                Await.until(WAIT, g + " running", () -> tasks.gatesEntered.contains(g));
                assertEquals(0, w.heldCount(), "nothing held beside a long task");
                assertTrue(claimSizes.stream().allMatch(m -> m <= 1), "claims for free slots only: " + claimSizes);
                long since = System.nanoTime();
                // Each task runs 3 ms (longer than the 2 ms bound), measured, not slept.
                Await.until(WAIT, "3 ms", () -> System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(3));
                tasks.gateOf(g).countDown();
            }
            for (TaskHandle<String> h : hs) {
                h.get(WAIT);
            }
            assertTrue(claimSizes.stream().allMatch(m -> m <= 1), "every claim for free slots only: " + claimSizes);
        }
    }

    @Test
    void manyShortTasksOnPrefetchingWorkersRunExactlyOnce() {
        int n = 400;
        taskq.startWorker(options().workerId("a").concurrency(2).prefetch(3).build());
        taskq.startWorker(options().workerId("b").concurrency(1).prefetch(5).build());
        List<TaskRequest<?>> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(TaskRequest.of(ContractTasks::record, "t" + i));
        }
        List<TaskHandle<?>> hs = taskq.submitAll(rs);
        for (int i = 0; i < n; i++) {
            assertEquals("t" + i, hs.get(i).get(WAIT));
            assertEquals(TaskState.SUCCESS, hs.get(i).state());
            assertEquals(1, hs.get(i).info().attempt());
        }
        assertEquals(n, tasks.count("record"));
        assertEquals(n, new HashSet<>(tasks.order).size(), "each task ran exactly once");
    }
}
