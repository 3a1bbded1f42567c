package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Chord;
import io.taskq.ChordHandle;
import io.taskq.Group;
import io.taskq.GroupFailedException;
import io.taskq.GroupHandle;
import io.taskq.Signature;
import io.taskq.TaskFailedException;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.internal.Ids;
import io.taskq.spi.RevokeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of groups and chords (docs/workflows.md) on the broker under test: results in member order,
 * partial failure, the chord callback run once with every result, its error path once, retries counted once,
 * members in several queues, groups of chains. Every broker module extends this class.
 */
public abstract class CanvasContractTest extends WorkflowFixture {
    /** Queues the members spread over (on a Cluster: different slots). */
    protected static final String[] QUEUES = {"default", "q1", "q2", "q3"};

    private void worker() {
        taskq.startWorker(quickWorker(QUEUES).build());
    }

    private static List<TaskRequest<Integer>> squares(int n) {
        List<TaskRequest<Integer>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(TaskRequest.of(WorkflowTasks::square, i).queue(QUEUES[i % QUEUES.length]));
        }
        return l;
    }

    @Test
    void aGroupsResultsComeInMemberOrder() {
        worker();
        GroupHandle<Integer> h = taskq.submit(Group.of(squares(20)).id("g-1"));
        assertEquals(IntStream.range(0, 20).map(i -> i * i).boxed().toList(), h.get(WAIT));
        assertEquals(Ids.followUp("g-1", "group", 3), h.members().get(3).id());
        assertTrue(h.states().stream().allMatch(s -> s == TaskState.SUCCESS));
        assertTrue(h.isDone());
        GroupHandle<Integer> again = taskq.submit(Group.of(squares(20)).id("g-1"));
        assertEquals(h.get(WAIT), again.get(WAIT));
        assertEquals(20, tasks.count("square"), "the same group id sends no member twice");
    }

    @Test
    void aGroupReportsPartialFailure() {
        worker();
        List<TaskRequest<Integer>> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(TaskRequest.of(WorkflowTasks::failOn, 3, i));
        }
        GroupHandle<Integer> h = taskq.submit(Group.of(members));
        GroupFailedException e = assertThrows(GroupFailedException.class, () -> h.get(WAIT));
        assertEquals(List.of(3), List.copyOf(e.failures().keySet()));
        assertEquals(java.util.Arrays.asList(0, 1, 2, null, 4), e.results());
        assertEquals(TaskState.FAILURE, h.states().get(3));
        assertEquals(TaskState.SUCCESS, h.states().get(4));
    }

    @Test
    void aChordRunsItsCallbackOnceWithEveryResultInOrder() {
        worker();
        ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(squares(30)),
                Signature.of(WorkflowTasks::sum, "total")));
        int expected = IntStream.range(0, 30).map(i -> i * i).sum();
        assertEquals(expected, h.get(WAIT));
        assertEquals(List.of("total=" + IntStream.range(0, 30).map(i -> i * i).boxed().toList()),
                List.copyOf(tasks.seen));
        assertEquals(1, tasks.count("sum"));
        assertEquals(Ids.followUp(h.id(), "chord", 0), h.callback().id());
        assertEquals(List.of(0, 1, 4), h.header().get(WAIT).subList(0, 3));
    }

    @Test
    void aFailedMemberRunsTheErrorPathOnceAndTheCallbackNever() {
        worker();
        List<TaskRequest<Integer>> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            members.add(TaskRequest.of(WorkflowTasks::failOn, i % 2 == 1 ? i : -1, i).queue(QUEUES[i % 4]));
        }
        ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(members), Signature.of(WorkflowTasks::sum, "never"))
                .linkError(Signature.of(WorkflowTasks::onError, "chord")));
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("taskq.ChordError", e.error().type());
        taskq.handle(Ids.followUp(h.callback().id(), "link_error", 0)).get(WAIT);
        assertThrows(GroupFailedException.class, () -> h.header().get(WAIT));
        assertEquals(1, tasks.count("onError"));
        assertEquals(0, tasks.count("sum"));
        String seen = tasks.seen.peek();
        assertTrue(seen.startsWith("chord:wf.failOn:chord " + h.id() + ": member "), seen);
        assertTrue(seen.contains("failed"), seen);
        assertEquals(TaskState.FAILURE, h.state());
    }

    @Test
    void aRetriedMemberCountsOnce() {
        worker();
        ChordHandle<String> h = taskq.submit(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::flaky, 2),
                TaskRequest.of(WorkflowTasks::start, "m")), Signature.of(WorkflowTasks::join)));
        assertEquals("ok after 3,ma", h.get(WAIT));
        assertEquals(3, tasks.count("flaky"));
        assertEquals(1, tasks.count("join"));
    }

    @Test
    void aRevokedMemberCountsAsFailed() {
        worker();
        ChordHandle<String> h = taskq.submit(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::gated, "g"),
                TaskRequest.of(WorkflowTasks::start, "m")), Signature.of(WorkflowTasks::join))
                .linkError(Signature.of(WorkflowTasks::onError, "revoked")));
        Await.until(WAIT, "gated member running", () -> tasks.count("gated") == 1);
        h.header().members().get(0).revoke("stop");
        Await.until(WAIT, "member revoked", () -> h.header().members().get(0).state() == TaskState.REVOKED);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("taskq.ChordError", e.error().type());
        assertTrue(e.error().message().contains("revoked"), e.error().message());
        taskq.handle(Ids.followUp(h.callback().id(), "link_error", 0)).get(WAIT);
        assertEquals(0, tasks.count("join"));
    }

    @Test
    void membersRevokedWhileTheyWaitRunTheErrorPathOnceAndTheCallbackNever() {
        List<TaskRequest<Integer>> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(TaskRequest.of(WorkflowTasks::square, i).queue(QUEUES[i]));
        }
        members.set(2, members.get(2).countdown(java.time.Duration.ofHours(1)));
        ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(members), Signature.of(WorkflowTasks::sum, "never"))
                .linkError(Signature.of(WorkflowTasks::onError, "revoked")));
        // no worker yet: member 1 waits ready, member 2 delayed; a revoke leaves them for a worker to end
        String ready = h.header().members().get(1).id();
        String delayed = h.header().members().get(2).id();
        assertEquals(RevokeResult.SIGNALLED, h.header().members().get(1).revoke("stop"));
        assertEquals(RevokeResult.SIGNALLED, h.header().members().get(2).revoke("stop"));
        worker();
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("taskq.ChordError", e.error().type());
        String m = e.error().message();
        assertTrue(m.contains("member 1 (task " + ready + ", 'wf.square') failed: taskq.Revoked")
                || m.contains("member 2 (task " + delayed + ", 'wf.square') failed: taskq.Revoked"), m);
        taskq.handle(Ids.followUp(h.callback().id(), "link_error", 0)).get(WAIT);
        // The other members' methods may have returned before their outcomes are reported: await the states.
        List<TaskState> expected = List.of(TaskState.SUCCESS, TaskState.REVOKED, TaskState.REVOKED,
                TaskState.SUCCESS);
        Await.until(WAIT, "members ended", () -> h.header().states().equals(expected));
        assertEquals(1, tasks.count("onError"));
        assertEquals(0, tasks.count("sum"));
        assertEquals(TaskState.FAILURE, h.state());
        assertEquals(2, tasks.count("square"), "a revoked member never runs");
    }

    @Test
    void aMemberRevokedBeforeItsChordIsSentRunsTheErrorPathOnce() {
        String early = Ids.newTaskId();
        // revoked ahead of its submit: its queue keeps a revoke marker for the id
        assertEquals(RevokeResult.NOT_FOUND, taskq.handle(QUEUES[1], early).revoke("cancelled early"));
        List<TaskRequest<Integer>> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(TaskRequest.of(WorkflowTasks::square, i).queue(QUEUES[i]));
        }
        members.set(1, members.get(1).id(early));
        worker();
        ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(members), Signature.of(WorkflowTasks::sum, "never"))
                .linkError(Signature.of(WorkflowTasks::onError, "revoked")));
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("taskq.ChordError", e.error().type());
        assertTrue(e.error().message().contains("member 1 (task " + early + ", 'wf.square') failed: taskq.Revoked"),
                e.error().message());
        taskq.handle(Ids.followUp(h.callback().id(), "link_error", 0)).get(WAIT);
        Await.until(WAIT, "members ended", () -> h.header().states().equals(
                List.of(TaskState.SUCCESS, TaskState.REVOKED, TaskState.SUCCESS)));
        assertEquals(1, tasks.count("onError"));
        assertEquals(0, tasks.count("sum"));
        assertEquals(2, tasks.count("square"), "the revoked member never runs");
    }

    @Test
    void aMemberDeadAfterLostLeasesRunsTheErrorPathOnce() throws InterruptedException {
        List<TaskRequest<Integer>> members = new ArrayList<>();
        members.add(TaskRequest.of(WorkflowTasks::square, 0).queue("doomed"));
        for (int i = 1; i < 4; i++) {
            members.add(TaskRequest.of(WorkflowTasks::square, i).queue(QUEUES[i]));
        }
        ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(members), Signature.of(WorkflowTasks::sum, "never"))
                .linkError(Signature.of(WorkflowTasks::onError, "lost")));
        String victim = h.header().members().get(0).id();
        // the member's workers die while it runs, lease after lease, until the broker gives up on it
        io.taskq.spi.ClaimRequest claim = new io.taskq.spi.ClaimRequest("dies", List.of("doomed"), 1,
                java.time.Duration.ofSeconds(1), java.time.Duration.ZERO);
        boolean ended = false;
        for (int n = 0; n < 40 && !ended; n++) {
            List<io.taskq.spi.Delivery> d = broker.claim(claim);
            assertEquals(List.of(victim), d.stream().map(io.taskq.spi.Delivery::id).toList());
            ended = d.get(0).body().startsWith("{\"v\":1,\"headers\":{\"taskq_end\":");
            clock.advance(java.time.Duration.ofSeconds(2));
        }
        assertTrue(ended, "the broker marked the member's end");
        assertTrue(h.header().members().get(0).state() != TaskState.FAILURE, "not dead without a worker");
        taskq.startWorker(quickWorker("default", "q1", "q2", "q3", "doomed").build());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("taskq.ChordError", e.error().type());
        assertTrue(e.error().message().contains("member 0 (task " + victim + ", 'wf.square') failed: taskq.WorkerLost:"
                + " lease expired"), e.error().message());
        taskq.handle(Ids.followUp(h.callback().id(), "link_error", 0)).get(WAIT);
        Await.until(WAIT, "member dead", () -> h.header().members().get(0).state() == TaskState.FAILURE);
        assertEquals(1, tasks.count("onError"));
        assertEquals(0, tasks.count("sum"));
        Await.until(WAIT, "other members done", () -> tasks.count("square") == 3);
        assertTrue(broker.queueAdmin().orElseThrow().deadLetter("doomed", victim).isPresent(), "dead-lettered");
        assertEquals(TaskState.FAILURE, h.state());
        assertEquals(3, tasks.count("square"), "the dead member never ran at the worker");
    }

    @Test
    void revokedMembersWhoseWorkerDiedOrHandedThemBackRunTheErrorPathOnce() throws InterruptedException {
        List<TaskRequest<Integer>> members = new ArrayList<>();
        members.add(TaskRequest.of(WorkflowTasks::square, 0).queue("held"));
        members.add(TaskRequest.of(WorkflowTasks::square, 1).queue("held"));
        members.add(TaskRequest.of(WorkflowTasks::square, 2).queue("q2"));
        ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(members), Signature.of(WorkflowTasks::sum, "never"))
                .linkError(Signature.of(WorkflowTasks::onError, "held")));
        List<io.taskq.spi.Delivery> held = broker.claim(new io.taskq.spi.ClaimRequest("dies", List.of("held"), 2,
                java.time.Duration.ofSeconds(1), java.time.Duration.ZERO));
        assertEquals(2, held.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(RevokeResult.SIGNALLED, h.header().members().get(i).revoke("stop"));
        }
        // one is handed back (a stopping worker), the other's worker dies: its lease expires with the revoke pending
        io.taskq.spi.Delivery back = held.get(0).id().equals(h.header().members().get(0).id()) ? held.get(0)
                : held.get(1);
        broker.release(List.of(back));
        clock.advance(java.time.Duration.ofSeconds(2));
        taskq.startWorker(quickWorker("default", "q2", "held").build());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("taskq.ChordError", e.error().type());
        taskq.handle(Ids.followUp(h.callback().id(), "link_error", 0)).get(WAIT);
        Await.until(WAIT, "members ended", () -> h.header().states().equals(List.of(TaskState.REVOKED,
                TaskState.REVOKED, TaskState.SUCCESS)));
        assertEquals(1, tasks.count("onError"));
        assertEquals(0, tasks.count("sum"));
        assertEquals(1, tasks.count("square"), "the revoked members never ran");
    }

    @Test
    void aGroupOfChainsAndAChordOverChains() {
        worker();
        List<Chain<String>> chains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chains.add(Chain.of(TaskRequest.of(WorkflowTasks::start, "c" + i).queue(QUEUES[i]))
                    .then(Signature.of(WorkflowTasks::append, "!").queue(QUEUES[i])));
        }
        GroupHandle<String> g = taskq.submit(Group.ofChains(chains));
        assertEquals(List.of("c0a!", "c1a!", "c2a!", "c3a!"), g.get(WAIT));
        ChordHandle<String> c = taskq.submit(Chord.of(Group.ofChains(chains), Signature.of(WorkflowTasks::join)));
        assertEquals("c0a!,c1a!,c2a!,c3a!", c.get(WAIT));
        assertEquals(1, tasks.count("join"));
    }

    @Test
    void aChordOfOneMemberAndACallbackThatTakesNoResults() {
        worker();
        ChordHandle<Void> h = taskq.submit(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::start, "x")),
                TaskRequest.of(WorkflowTasks::ping, "after")));
        h.get(WAIT);
        assertEquals(List.of("after"), List.copyOf(tasks.seen));
    }

    @Test
    void aChordInAChainRunsAfterTheStepBeforeAndTheChainGoesOnFromItsCallback() {
        worker();
        ChainHandle<Integer> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::square, 1), TaskRequest.of(WorkflowTasks::square, 2),
                        TaskRequest.of(WorkflowTasks::square, 3)), Signature.of(WorkflowTasks::sum, "t").queue("q1")))
                .then(Signature.of(WorkflowTasks::square).queue("q1")));
        assertEquals(196, h.get(WAIT));
        assertEquals(14, h.steps().get(1).get(WAIT));
        assertEquals(List.of("t=[1, 4, 9]"), List.copyOf(tasks.seen));
        assertEquals(3, tasks.count("square") - 1);
    }

    @Test
    void aFailingMemberOfAChordInAChainStopsItAndFiresTheChainsErrorCallbackOnce() {
        worker();
        ChainHandle<Integer> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::failOn, 1, 1),
                        TaskRequest.of(WorkflowTasks::failOn, 1, 2)), Signature.of(WorkflowTasks::sum, "never")))
                .then(Signature.of(WorkflowTasks::square))
                .linkError(Signature.of(WorkflowTasks::onError, "chain")));
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.steps().get(1).get(WAIT));
        assertEquals("taskq.ChordError", e.error().type());
        taskq.handle(Ids.followUp(h.steps().get(1).id(), "link_error", 0)).get(WAIT);
        assertEquals(1, tasks.count("onError"));
        assertEquals(0, tasks.count("sum") + tasks.count("square"));
        assertEquals(TaskState.FAILURE, h.state());
    }

    @Test
    void joinsCountOncePerMemberIndexAndChangeNothingOnceTheChordFired() throws InterruptedException {
        java.time.Instant now = clock.instant();
        List<io.taskq.spi.TaskMessage> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(new io.taskq.spi.TaskMessage("m" + i, "default", "t", 4, null, "{}"));
        }
        broker.enqueue(members);
        List<io.taskq.spi.Delivery> d = broker.claim(new io.taskq.spi.ClaimRequest("c", List.of("default"), 4,
                java.time.Duration.ofMinutes(1), java.time.Duration.ZERO));
        assertEquals(4, d.size());
        io.taskq.spi.TaskMessage cb = new io.taskq.spi.TaskMessage("cb-1", "q1", "cb", 4, null, "[");
        io.taskq.spi.TaskMessage eb = new io.taskq.spi.TaskMessage("eb-1", "q1", "eb", 4, null, "{}");
        io.taskq.spi.TaskRecord failed = new io.taskq.spi.TaskRecord("cb-1", "q1", "cb", TaskState.FAILURE, null,
                io.taskq.internal.Errors.of("taskq.ChordError", "x"), 0, 0, "w", now, "chord member failed");
        java.util.function.BiFunction<Integer, String, io.taskq.spi.ChordJoin> ok = (i, r) ->
                new io.taskq.spi.ChordJoin("chord-1", i, 2, r, cb, "]", List.of(), null);
        // member 0 joins, its finish goes; then a stale duplicate with another result: counted once, first kept
        assertEquals(List.of(true), finish(d.get(0), ok.apply(0, "1")));
        assertEquals(List.of(false), finish(d.get(0), ok.apply(0, "99")));
        assertEquals(0, readyIn("q1"));
        assertEquals(List.of(true), finish(d.get(1), ok.apply(1, "2")));
        assertEquals(1, readyIn("q1"), "the join that completes the header enqueues the callback");
        // after the chord fired, a late success and a failure change nothing
        assertEquals(List.of(true), finish(d.get(2), ok.apply(1, "3")));
        assertEquals(List.of(true), finish(d.get(3), new io.taskq.spi.ChordJoin("chord-1", 0, 2, null, cb, "]",
                List.of(eb), failed)));
        assertEquals(1, readyIn("q1"), "no error callback after the chord fired");
        assertTrue(taskq.handle("q1", "cb-1").state() != TaskState.FAILURE, "no failure record after it fired");
    }

    private List<Boolean> finish(io.taskq.spi.Delivery d, io.taskq.spi.ChordJoin j) {
        return broker.finishAndClaim(List.of(), clock.instant(), List.of(io.taskq.spi.Outcome.done(d, null)
                .withChordJoin(j)), null).accepted();
    }

    private long readyIn(String queue) {
        return broker.queueAdmin().orElseThrow().stats(queue).ready();
    }
}
