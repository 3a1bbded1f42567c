package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Await;
import io.taskq.contract.WorkflowTasks;
import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.ForwardingBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A broker that cannot enqueue a follow-up to another queue (as Redis Cluster cannot to another slot): the submit
 * refuses such a workflow, and a worker that meets one in a message (sent by a producer that did not check)
 * dead-letters the task with the reason instead of sending a finish the broker would refuse.
 */
class WorkflowFollowUpRefusalTest {
    /** Refuses follow-ups to another queue. */
    private static final class OneQueueBroker extends ForwardingBroker {
        OneQueueBroker(InMemoryBroker delegate) {
            super(delegate);
        }

        @Override
        public Optional<String> followUpRefusal(String fromQueue, String fromId, String toQueue, String toId) {
            return fromQueue.equals(toQueue) ? Optional.empty() : Optional.of("not in the same queue");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theSubmitRefusesAndTheWorkerDeadLettersWithTheReason() {
        InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
        WorkflowTasks tasks = new WorkflowTasks();
        try (Taskq checking = Taskq.builder().broker(new OneQueueBroker(memory)).tasks(tasks).build();
             Taskq unchecked = Taskq.builder().broker(memory).tasks(tasks).build()) {
            Chain<String> chain = Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                    .then(Signature.of(WorkflowTasks::append, "b").queue("other"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> checking.submit(chain));
            assertTrue(e.getMessage().contains("not in the same queue"), e.getMessage());

            ChainHandle<String> h = unchecked.submit(chain);
            checking.startWorker(WorkerOptions.builder().queues("default", "other")
                    .claimWait(Duration.ofMillis(200)).build());
            TaskHandle<?> first = h.steps().get(0);
            assertThrows(TaskFailedException.class, () -> first.get(Duration.ofSeconds(20)));
            DeadLetter d = Await.value(Duration.ofSeconds(20), "dead letter",
                    () -> checking.deadLetters("default", 10).stream().findFirst().orElse(null));
            assertEquals(first.id(), d.id());
            assertTrue(d.reason().contains("taskq.FollowUpRefused") && d.reason().contains("not in the same queue"),
                    d.reason());
            assertEquals(TaskState.UNKNOWN, h.last().state(), "the next step was not enqueued");
        }
    }
}
