package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Await;
import io.taskq.contract.WorkflowTasks;
import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.TaskMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chain's later steps travel unread until each is next: its last step spoiled by hand in the first message (no
 * id) is found when the message of the step before it is read, which is dead-lettered with the reason before it
 * runs; the steps before that ran, nothing after it is enqueued, the worker goes on.
 */
class ChainMalformedStepTest {
    /**
     * Blanks the id of the first signature of a submitted message's chain (the chain's last step: Celery's order
     * puts the next step last), as a hand-written message might.
     */
    private static final class Spoiling extends ForwardingBroker {
        Spoiling(InMemoryBroker delegate) {
            super(delegate);
        }

        @Override
        public List<Boolean> enqueue(List<TaskMessage> messages) {
            return super.enqueue(messages.stream().map(m -> new TaskMessage(m.id(), m.queue(), m.task(),
                    m.priority(), m.eta(), spoil(m.body()))).toList());
        }

        private static String spoil(String body) {
            int chain = body.indexOf("\"chain\":[");
            int id = body.indexOf("\"task_id\":\"", chain);
            int end = body.indexOf('"', id + "\"task_id\":\"".length());
            return chain < 0 ? body : body.substring(0, id) + "\"task_id\":\"" + body.substring(end);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theStepBeforeTheSpoiledOneIsDeadLetteredWithTheReason() {
        InMemoryBroker memory = new InMemoryBroker(Clock.systemUTC());
        Chain<String> chain = Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::append, "b"))
                .then(Signature.of(WorkflowTasks::append, "c"))
                .then(Signature.of(WorkflowTasks::append, "d"));
        try (Taskq t = Taskq.builder().broker(new Spoiling(memory)).tasks(new WorkflowTasks()).build()) {
            ChainHandle<String> h = t.submit(chain);
            t.startWorker(WorkerOptions.builder().claimWait(Duration.ofMillis(200)).build());
            assertEquals("xab", h.steps().get(1).get(Duration.ofSeconds(20)));
            DeadLetter d = Await.value(Duration.ofSeconds(20), "dead letter",
                    () -> t.deadLetters("default", 10).stream().findFirst().orElse(null));
            assertEquals(h.steps().get(2).id(), d.id(), "the step whose next one is spoiled");
            assertTrue(d.reason().contains("taskq.MalformedMessage") && d.reason().contains("'task_id'"),
                    d.reason());
            assertEquals(TaskState.UNKNOWN, h.last().state(), "nothing after it was enqueued");
            assertEquals("ya", t.submit(WorkflowTasks::start, "y").get(Duration.ofSeconds(20)),
                    "the worker goes on");
        }
    }
}
