package io.taskq.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdaptivePrefetchTest {
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AdaptivePrefetch.Budget budget = new AdaptivePrefetch.Budget(4);
    private final AdaptivePrefetch adaptive = new AdaptivePrefetch(budget, 4);

    /** How many tasks of {@code nanos} it takes to start holding (-1: not within 1000). */
    private int tasksUntilHolding(long nanos) {
        for (int i = 1; i <= 1000; i++) {
            adaptive.ran(nanos);
            if (adaptive.holding()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void startsWithoutHoldingAndHoldsOnceTasksProveShort() {
        assertFalse(adaptive.holding());
        assertEquals(4, budget.availablePermits(), "the slots alone");
        int n = tasksUntilHolding(10 * US);
        assertTrue(n > 1 && n <= 8, "a few short tasks, not one: " + n);
        assertEquals(8, budget.availablePermits(), "slots plus as many held");
    }

    @Test
    void stopsHoldingWhenTasksGetLongAndNotInBetween() {
        tasksUntilHolding(10 * US);
        for (int i = 0; i < 100; i++) {
            adaptive.ran(1500 * US); // between the bounds: no change either way
        }
        assertTrue(adaptive.holding());
        assertEquals(8, budget.availablePermits());
        adaptive.ran(100 * MS);
        assertFalse(adaptive.holding());
        assertEquals(4, budget.availablePermits());
        for (int i = 0; i < 100; i++) {
            adaptive.ran(1500 * US);
        }
        assertFalse(adaptive.holding(), "between the bounds: still not holding");
    }

    @Test
    void aTaskHeldTooLongStopsHoldingForLongerThanAShortBlip() {
        tasksUntilHolding(10 * US);
        budget.acquireUninterruptibly(7); // a running task and held ones own permits
        adaptive.heldTooLong(AdaptivePrefetch.HELD_TOO_LONG_NANOS);
        assertFalse(adaptive.holding());
        assertEquals(-3, budget.availablePermits(), "the held tasks' permits are owed until they leave");
        assertEquals(0, budget.takeAll(), "nothing to take from a budget below zero");
        assertEquals(-3, budget.availablePermits(), "and taking does not reset it");
        budget.release(7);
        assertEquals(4, budget.availablePermits());
        int n = tasksUntilHolding(10 * US);
        assertTrue(n > 20, "the wait counts like a long task: " + n);
    }

    @Test
    void takeAllTakesWhatIsThere() {
        assertEquals(4, budget.takeAll());
        assertEquals(0, budget.takeAll());
        budget.release(2);
        assertEquals(2, budget.takeAll());
    }
}
