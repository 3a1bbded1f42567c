package io.taskq.internal.worker;

import static io.taskq.internal.worker.ScriptedBroker.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.WorkerOptions;
import io.taskq.spi.Delivery;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slots, held tasks and claim permits, without threads: the starter only records what would start. */
class SlotsTest {
    private final ManualTicker ticker = new ManualTicker();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final List<Attempt> started = new CopyOnWriteArrayList<>();
    private WorkerContext ctx;

    private Slots slots(WorkerOptions options, Consumer<Attempt> starter) {
        ctx = TestWorkers.context(broker, ticker, options);
        return new Slots(ctx, starter);
    }

    private Slots slots(WorkerOptions options) {
        return slots(options, started::add);
    }

    @AfterEach
    void stop() {
        ctx.threads.shutdownNow();
    }

    private static List<Delivery> tasks(String... ids) {
        return Arrays.stream(ids).map(ScriptedBroker::delivery).toList();
    }

    private static List<String> ids(List<?> items) {
        return items.stream().map(o -> o instanceof Attempt a ? a.id() : ((Delivery) o).id()).toList();
    }

    @Test
    void growingStartsHeldTasksAndAddsClaimPermits() throws Exception {
        Slots s = slots(TestWorkers.options().concurrency(1).prefetch(3).build());
        s.takeFreePermits();
        s.place(tasks("t1", "t2", "t3"), 0);
        assertEquals(List.of("t1"), ids(started));
        assertEquals(1, s.resize(3));
        assertEquals(3, s.concurrency());
        assertEquals(List.of("t1", "t2", "t3"), ids(started), "the new slots took the held tasks");
        assertEquals(0, s.heldCount());
        assertEquals(2, s.takeFreePermits(), "two more claim permits");
    }

    @Test
    void shrinkingPaysTheDebtBeforeAnySlotPassesOn() {
        Slots s = slots(TestWorkers.options().concurrency(3).prefetch(2).build());
        s.takeFreePermits();
        s.place(tasks("t1", "t2", "t3", "t4"), 0);
        assertEquals(3, s.runningCount());
        assertEquals(1, s.heldCount());
        assertEquals(3, s.resize(1));
        assertEquals(2, s.debt());
        assertNull(s.leaveSlot(), "t1's slot pays the debt");
        assertNull(s.leaveSlot(), "so does t2's");
        assertEquals(0, s.debt());
        assertEquals("t4", s.leaveSlot().id(), "t3's slot passes on: one slot, as asked");
        assertEquals(0, s.takeFreePermits(), "the claim permits shrank too");
    }

    @Test
    void startsOnFreeSlotsHoldsTheRestAndPassesEachFreedSlotToTheOldestHeld() {
        Slots s = slots(TestWorkers.options().concurrency(1).prefetch(2).build());
        assertEquals(List.of(), s.place(tasks("t1", "t2", "t3"), 0));
        assertEquals(List.of("t1"), ids(started));
        assertEquals(2, s.heldCount());
        assertEquals(1, s.runningCount());

        assertEquals("t2", s.leaveSlot().id());
        assertEquals("t3", s.leaveSlot().id());
        assertNull(s.leaveSlot(), "nothing held: the slot frees");
        assertEquals(0, s.heldCount());
        assertEquals(1, s.startingNow(1, 0), "a free slot: one task claimed now starts at once");
    }

    @Test
    void waitingThreadsGetTheFirstTasksUnlessOlderOnesAreHeld() {
        Slots s = slots(TestWorkers.options().concurrency(2).prefetch(1).build());
        s.place(tasks("t0"), 0);
        // t0's thread waits in a batch for its next task.
        assertEquals(List.of("t1"), ids(s.place(tasks("t1", "t2", "t3"), 1)));
        assertEquals(List.of("t0", "t2"), ids(started));
        assertEquals(1, s.heldCount());
        assertEquals(0, s.startingNow(2, 1), "a task is held: nothing claimed now starts at once");
        assertEquals(List.of(), s.place(tasks("t4"), 1), "the held task is older than what the thread waits for");
        assertEquals(2, s.heldCount());
    }

    @Test
    void aDroppedHeldTaskGivesItsPermitBack() {
        Slots s = slots(TestWorkers.options().concurrency(1).prefetch(1).build());
        assertEquals(2, s.takeFreePermits());
        s.place(tasks("t1", "t2"), 0);
        Attempt dropped = s.dropHeld("t2");
        assertEquals("t2", dropped.id());
        assertTrue(dropped.settled.get(), "nobody else may settle it");
        assertNull(s.dropHeld("t2"));
        assertNull(s.dropHeld("t1"), "a running task is not held");
        assertEquals(1, s.takeFreePermits());
    }

    @Test
    void onceStoppingWhatFindsNoSlotGoesBackToTheBroker() {
        Slots s = slots(TestWorkers.options().concurrency(1).prefetch(2).build());
        s.takeFreePermits();
        ctx.beginClose();
        s.place(tasks("t1", "t2", "t3"), 0);
        assertEquals(List.of("t1"), ids(started), "a free slot still runs its task within the grace");
        assertEquals(List.of("t2", "t3"), ids(broker.released));
        assertEquals(2, ctx.handedBackAtClose());
        assertEquals(2, s.takeFreePermits(), "their permits are free again");
    }

    @Test
    void aTaskThatCannotStartGoesBackAndFreesItsSlot() {
        Slots s = slots(TestWorkers.options().concurrency(1).build(), a -> {
            throw new RejectedExecutionException("stopped");
        });
        s.takeFreePermits();
        s.place(tasks("t1"), 0);
        assertEquals(List.of("t1"), ids(broker.released));
        assertEquals(0, s.runningCount());
        assertEquals(1, s.takeFreePermits());
        assertEquals(1, s.startingNow(1, 0), "the slot is free again");
    }

    @Test
    void adaptivePrefetchHandsBackATaskHeldTooLongByTheTicker() {
        Slots s = slots(TestWorkers.options().concurrency(1).adaptivePrefetch().build());
        s.place(tasks("t1", "t2"), 0);
        assertEquals(1, s.heldCount());
        ticker.advance(Duration.ofNanos(AdaptivePrefetch.HELD_TOO_LONG_NANOS - 1));
        s.handBackIfHeldTooLong();
        assertEquals(1, s.heldCount(), "not held too long yet");
        ticker.advance(Duration.ofNanos(1));
        s.handBackIfHeldTooLong();
        assertEquals(0, s.heldCount());
        assertEquals(List.of("t2"), ids(broker.released));
        assertEquals(List.of("t1"), ids(started));
    }

    @Test
    void leasesAreKeptForRunningAndHeldTasks() {
        Slots s = slots(TestWorkers.options().concurrency(1).prefetch(1).build());
        s.place(tasks("t1", "t2"), 0);
        assertEquals(List.of("t1", "t2"), ids(s.liveDeliveries()));
        started.get(0).settle();
        assertEquals(List.of("t2"), ids(s.liveDeliveries()), "a settled attempt's lease is not renewed");
        assertEquals(delivery("t2"), s.liveDeliveries().get(0));
    }
}
