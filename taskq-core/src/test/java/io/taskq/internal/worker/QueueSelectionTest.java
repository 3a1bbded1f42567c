package io.taskq.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.WorkerOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The queues a worker claims from: configured order or weighted, minus the paused ones. */
class QueueSelectionTest {

    @Test
    void pausedQueuesLeaveTheStrictOrder() {
        QueueSelection q = new QueueSelection(WorkerOptions.builder().queues("a", "b", "c").build());
        assertEquals(List.of("a", "b", "c"), q.order());
        assertTrue(q.pause("b"));
        assertFalse(q.pause("b"));
        assertEquals(List.of("a", "c"), q.order());
        assertEquals(Set.of("b"), q.paused());
        assertTrue(q.resume("b"));
        assertFalse(q.resume("b"));
        assertEquals(List.of("a", "b", "c"), q.order());
    }

    @Test
    void pausedQueuesLeaveTheWeightedDrawAndTheRestAreAllDrawn() {
        QueueSelection q = new QueueSelection(WorkerOptions.builder().queue("a", 5).queue("b", 1).queue("c", 1)
                .queueOrder(WorkerOptions.QueueOrder.WEIGHTED).build());
        q.pause("a");
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<String> order = q.order();
            assertEquals(Set.of("b", "c"), Set.copyOf(order));
            assertEquals(2, order.size());
            firsts.add(order.get(0));
        }
        assertEquals(Set.of("b", "c"), firsts, "both come first sometimes");
    }

    @Test
    void everyQueuePausedLeavesNothingToClaim() throws Exception {
        QueueSelection q = new QueueSelection(WorkerOptions.builder().queues("a", "b").build());
        q.pause("a");
        assertFalse(q.allPaused());
        q.pause("b");
        assertTrue(q.allPaused());
        assertEquals(List.of(), q.order());
        Thread resumer = new Thread(() -> q.resume("a"));
        resumer.start();
        q.awaitChange(60_000); // returns on the resume, not after a minute
        resumer.join();
        assertEquals(List.of("a"), q.order());
    }

    @Test
    void aQueueTheWorkerDoesNotConsumeIsRefused() {
        QueueSelection q = new QueueSelection(WorkerOptions.builder().queues("a").build());
        assertThrows(IllegalArgumentException.class, () -> q.pause("z"));
        assertThrows(IllegalArgumentException.class, () -> q.resume("z"));
    }
}
