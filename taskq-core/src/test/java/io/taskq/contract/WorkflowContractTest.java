package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.DeadLetter;
import io.taskq.Signature;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.internal.Ids;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The workflow contract (docs/workflows.md): chains and callbacks submitted through {@link Taskq} and run by a
 * worker on the broker under test, their follow-ups enqueued atomically with the finish. Every broker module
 * extends this class.
 */
public abstract class WorkflowContractTest extends WorkflowFixture {

    private void worker() {
        taskq.startWorker(quickWorker("default").build());
    }

    private static Chain<String> threeSteps(String first) {
        return Chain.of(TaskRequest.of(WorkflowTasks::start, first))
                .then(Signature.of(WorkflowTasks::append, "b"))
                .then(Signature.of(WorkflowTasks::append, "c"));
    }

    @Test
    void aChainOfThreePassesEachResultToTheNextStep() {
        worker();
        ChainHandle<Integer> h = taskq.submit(threeSteps("x").then(Signature.of(WorkflowTasks::length)));
        assertEquals(4, h.get(WAIT), "length of xabc");
        assertEquals("xabc", h.steps().get(2).get(WAIT));
        assertEquals(h.steps().get(3).id(), h.id());
        assertEquals(TaskState.SUCCESS, h.state());
        assertEquals(1, tasks.count("start"));
        assertEquals(2, tasks.count("append"));
        assertEquals(1, tasks.count("length"));
        // lineage: every step's root is the first, its parent the step before
        assertEquals(4, h.steps().size());
    }

    @Test
    void stepIdsAreDerivedFromTheFirstSoTheSameChainSubmittedTwiceRunsOnce() {
        worker();
        ChainHandle<String> a = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x").id("chain-1"))
                .then(Signature.of(WorkflowTasks::append, "b")));
        assertEquals("xab", a.get(WAIT));
        ChainHandle<String> b = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x").id("chain-1"))
                .then(Signature.of(WorkflowTasks::append, "b")));
        assertEquals(a.id(), b.id());
        assertEquals(Ids.followUp("chain-1", "chain", 0), b.id());
        assertEquals("xab", b.get(WAIT));
        assertEquals(1, tasks.count("start"));
        assertEquals(1, tasks.count("append"));
    }

    @Test
    void aFailingStepStopsTheChainAndFiresTheErrorCallbackOnce() {
        worker();
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::fail))
                .then(Signature.of(WorkflowTasks::append, "c"))
                .linkError(Signature.of(WorkflowTasks::onError, "chain")));
        TaskHandle<?> failed = h.steps().get(1);
        assertThrows(TaskFailedException.class, () -> failed.get(WAIT));
        TaskHandle<Object> errback = taskq.handle("default", Ids.followUp(failed.id(), "link_error", 0));
        errback.get(WAIT);
        assertEquals(List.of("chain:wf.fail:boom after xa"), List.copyOf(tasks.seen));
        assertEquals(1, tasks.count("onError"));
        assertEquals(0, tasks.count("append"), "the step after the failure never runs");
        assertEquals(TaskState.FAILURE, h.state());
        assertEquals(TaskState.UNKNOWN, h.last().state());
        List<DeadLetter> dead = taskq.deadLetters("default", 10);
        assertEquals(1, dead.size());
        assertEquals(failed.id(), dead.get(0).id());
    }

    @Test
    void callbackAndErrorCallbackOnSingleSubmits() {
        worker();
        TaskHandle<String> ok = taskq.submit(TaskRequest.of(WorkflowTasks::start, "x")
                .link(Signature.of(WorkflowTasks::record, "cb"))
                .linkError(Signature.of(WorkflowTasks::onError, "never")));
        assertEquals("xa", ok.get(WAIT));
        TaskHandle<Object> cb = taskq.handle("default", Ids.followUp(ok.id(), "link", 0));
        cb.get(WAIT);
        assertEquals(TaskState.SUCCESS, cb.state());

        TaskHandle<String> bad = taskq.submit(TaskRequest.of(WorkflowTasks::fail, "y")
                .link(Signature.of(WorkflowTasks::record, "never"))
                .linkError(Signature.of(WorkflowTasks::onError, "eb"))
                .linkError(TaskRequest.of(WorkflowTasks::ping, "eb2")));
        assertThrows(TaskFailedException.class, () -> bad.get(WAIT));
        taskq.handle("default", Ids.followUp(bad.id(), "link_error", 0)).get(WAIT);
        taskq.handle("default", Ids.followUp(bad.id(), "link_error", 1)).get(WAIT);
        assertEquals(java.util.Set.of("cb=xa", "eb:wf.fail:boom after y", "eb2"), java.util.Set.copyOf(tasks.seen));
        assertEquals(3, tasks.seen.size());
        assertEquals(1, tasks.count("record"));
        assertEquals(1, tasks.count("onError"));
    }

    @Test
    void retriesFireTheCallbackOnlyAtTheEnd() {
        worker();
        TaskHandle<String> h = taskq.submit(TaskRequest.of(WorkflowTasks::flaky, 2)
                .link(Signature.of(WorkflowTasks::record, "cb"))
                .linkError(Signature.of(WorkflowTasks::onError, "never")));
        assertEquals("ok after 3", h.get(WAIT));
        taskq.handle("default", Ids.followUp(h.id(), "link", 0)).get(WAIT);
        assertEquals(3, tasks.count("flaky"));
        assertEquals(List.of("cb=ok after 3"), List.copyOf(tasks.seen));
        assertEquals(TaskState.UNKNOWN, taskq.handle("default", Ids.followUp(h.id(), "link_error", 0)).state());
    }

    @Test
    void revokingTheChainBeforeItStartsRevokesEveryStep() {
        worker();
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x")
                        .countdown(Duration.ofHours(1)))
                .then(Signature.of(WorkflowTasks::append, "b")).then(Signature.of(WorkflowTasks::append, "c")));
        assertTrue(h.revoke());
        assertEquals(TaskState.REVOKED, h.steps().get(0).state());
        assertEquals(TaskState.REVOKED, h.state());
        assertEquals(0, tasks.count("start") + tasks.count("append"));
    }

    @Test
    void laterStepsRevokedWhileAnEarlierRunsArriveRevoked() {
        worker();
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::gated, "x"))
                .then(Signature.of(WorkflowTasks::append, "b")).then(Signature.of(WorkflowTasks::append, "c")));
        Await.until(WAIT, "first step running", () -> tasks.count("gated") == 1);
        h.steps().get(2).revoke();
        h.steps().get(1).revoke("chain stopped");
        tasks.gate.countDown();
        assertEquals("x", h.steps().get(0).get(WAIT));
        Await.until(WAIT, "second step arrived revoked", () -> h.steps().get(1).state() == TaskState.REVOKED);
        assertEquals(0, tasks.count("append"));
        assertEquals(TaskState.REVOKED, h.state());
        assertEquals(TaskState.UNKNOWN, h.last().state(), "the third step is never enqueued");
    }

    @Test
    void aMalformedEmbedIsDeadLetteredWithTheReasonAndNeverRuns() {
        String id = "bad-embed-1";
        String body = "{\"v\":1,\"headers\":{\"lang\":\"java\",\"task\":\"wf.start\",\"id\":\"" + id + "\","
                + "\"retries\":0,\"root_id\":\"" + id + "\",\"queue\":\"default\",\"priority\":4},"
                + "\"body\":[[\"x\"],{},{\"callbacks\":[{\"args\":[]}],\"errbacks\":null,\"chain\":null,"
                + "\"chord\":null}]}";
        broker.enqueue(List.of(new TaskMessage(id, "default", "wf.start", 4, null, body)));
        worker();
        DeadLetter d = Await.value(WAIT, "dead letter", () -> taskq.deadLetters("default", 10).stream()
                .filter(x -> x.id().equals(id)).findFirst().orElse(null));
        assertTrue(d.reason().contains("taskq.MalformedMessage"), d.reason());
        assertTrue(d.reason().contains("callbacks[0] needs a 'task' string"), d.reason());
        assertEquals(0, tasks.count("start"));
    }

    @Test
    void submitChecksSignaturesLikeRequests() {
        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class, () -> taskq.submit(
                TaskRequest.of(WorkflowTasks::start, "x").link(Signature.named("wf.append"))));
        assertTrue(arity.getMessage().contains("takes 2 argument(s)"), arity.getMessage());
        IllegalArgumentException eta = assertThrows(IllegalArgumentException.class, () -> taskq.submit(
                Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                        .then(TaskRequest.of(WorkflowTasks::ping, "p").expiresIn(Duration.ofMinutes(1)))));
        assertTrue(eta.getMessage().contains("countdown"), eta.getMessage());
        Chain<String> many = threeSteps("x");
        for (int i = 0; i < 1000; i++) {
            many = many.then(Signature.of(WorkflowTasks::append, "d"));
        }
        Chain<String> tooMany = many;
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> taskq.submit(tooMany));
        assertTrue(size.getMessage().contains("at most 1000 signatures"), size.getMessage());
    }

    @Test
    void aStepToAnotherQueueRunsOrIsRefusedAtSubmitWhereTheBrokerCannotFollowUp() {
        taskq.startWorker(WorkerOptions.builder().queues("default", "other").claimWait(Duration.ofMillis(500))
                .shutdownGrace(Duration.ofSeconds(5)).build());
        Chain<String> chain = Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::append, "b").queue("other"));
        String firstId = "cross-1";
        boolean refused = broker.followUpRefusal("default", firstId, "other",
                Ids.followUp(firstId, "chain", 0)).isPresent();
        Chain<String> withId = Chain.of(TaskRequest.of(WorkflowTasks::start, "x").id(firstId))
                .then(Signature.of(WorkflowTasks::append, "b").queue("other"));
        if (refused) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> taskq.submit(withId));
            assertTrue(e.getMessage().contains("docs/workflows.md"), e.getMessage());
            assertEquals(0, tasks.count("start"), "nothing submitted");
        } else {
            ChainHandle<String> h = taskq.submit(withId);
            assertEquals("xab", h.get(WAIT));
            assertEquals("other", h.last().queue());
        }
        assertEquals(2, chain.size());
    }
}
