package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Chord;
import io.taskq.Group;
import io.taskq.Signature;
import io.taskq.TaskHandle;
import io.taskq.TaskInfo;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The lineage contract (docs/workflows.md#lineage) on the broker under test: a workflow's records carry its root and
 * parent ids, {@code lookup} shows them, {@code Taskq.workflow} lists the workflow's tasks wherever they are, and
 * {@code Taskq.revokeWorkflow} stops it. Every broker module extends this class.
 */
public abstract class LineageContractTest extends WorkflowFixture {
    private void worker() {
        // short lease renewals: a revoked running task is interrupted at the next one
        taskq.startWorker(quickWorker("default").lease(Duration.ofSeconds(3))
                .leaseRenewInterval(Duration.ofMillis(100)).build());
    }

    private TaskRecord record(TaskHandle<?> h) {
        return taskq.resultBackend().get(h.queue(), h.id()).orElseThrow();
    }

    @Test
    void aChainsRecordsCarryItsRootAndEachStepsParent() {
        worker();
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::append, "b")).then(Signature.of(WorkflowTasks::append, "c")));
        assertEquals("xabc", h.get(WAIT));
        List<TaskHandle<?>> steps = h.steps();
        String root = steps.get(0).id();
        TaskRecord first = record(steps.get(0));
        assertNull(first.rootId(), "the root is its own root: not written");
        assertNull(first.parentId());
        assertEquals(root, first.root());
        for (int i = 1; i < 3; i++) {
            TaskRecord r = record(steps.get(i));
            assertEquals(root, r.rootId(), "step " + i);
            assertEquals(steps.get(i - 1).id(), r.parentId(), "step " + i);
        }
        Map<String, TaskInfo> infos = taskq.lookup(steps.stream().map(TaskHandle::id).toList());
        assertNull(infos.get(root).rootId());
        assertEquals(root, infos.get(root).root());
        assertEquals(root, infos.get(steps.get(2).id()).rootId());
        assertEquals(steps.get(1).id(), infos.get(steps.get(2).id()).parentId());
        assertEquals(Set.of(root, steps.get(1).id(), steps.get(2).id()), ids(taskq.workflow(root)));
    }

    @Test
    void aChordInAChainCarriesTheChainsRootToItsMembersAndCallback() {
        worker();
        ChainHandle<Integer> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::square, 2),
                        TaskRequest.of(WorkflowTasks::square, 3)), Signature.of(WorkflowTasks::sum, "t"))));
        assertEquals(13, h.get(WAIT));
        String root = h.steps().get(0).id();
        List<TaskSummary> all = taskq.workflow(root);
        assertEquals(4, all.size(), "the first step, two members and the callback: " + all);
        Set<String> members = all.stream().filter(s -> "wf.square".equals(s.task())).map(TaskSummary::id)
                .collect(Collectors.toSet());
        assertEquals(2, members.size());
        for (TaskSummary s : all) {
            assertEquals(TaskLocation.Place.FINISHED, s.place());
            assertEquals(root, s.root());
            TaskRecord r = s.record();
            if ("wf.square".equals(s.task())) {
                assertEquals(root, r.rootId());
                assertEquals(root, r.parentId(), "a member's parent is the step before the chord");
            } else if ("wf.sum".equals(s.task())) {
                assertEquals(root, r.rootId());
                assertTrue(members.contains(r.parentId()), "the callback's parent is the member that completed it");
                assertEquals(r.parentId(), taskq.lookup(List.of(s.id())).get(s.id()).parentId());
            }
        }
    }

    @Test
    void aChordSubmittedByAClientHasItsGroupsIdAsRoot() {
        worker();
        io.taskq.ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::square, 2),
                TaskRequest.of(WorkflowTasks::square, 3)), Signature.of(WorkflowTasks::sum, "t")));
        assertEquals(13, h.get(WAIT));
        String root = h.header().id();
        List<TaskSummary> all = taskq.workflow(root);
        assertEquals(3, all.size(), "two members and the callback: " + all);
        for (TaskSummary s : all) {
            assertEquals(root, s.record().rootId(), s.id());
        }
        assertNull(record(h.header().members().get(0)).parentId(), "a member submitted by a client has no parent");
        assertEquals(root, record(h.callback()).rootId());
    }

    @Test
    void aFailedChordsCallbackRecordCarriesTheRootAndTheFailedMemberAsParent() {
        worker();
        io.taskq.ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(TaskRequest.of(WorkflowTasks::square, 2),
                TaskRequest.of(WorkflowTasks::failOn, 3, 3)), Signature.of(WorkflowTasks::sum, "t")));
        Await.until(WAIT, "the callback's FAILURE record", () -> h.state() == TaskState.FAILURE);
        TaskRecord r = record(h.callback());
        assertEquals(h.header().id(), r.rootId());
        assertEquals(h.header().members().get(1).id(), r.parentId());
    }

    @Test
    void theListingFindsQueuedRunningAndFinishedTasksOfTheWorkflow() {
        worker();
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::gated)));
        String root = h.steps().get(0).id();
        Await.until(WAIT, "the second step running", () -> tasks.count("gated") == 1);
        // submitted from outside: a task of another workflow, and one queued in a queue no worker takes
        TaskHandle<String> other = taskq.submit(TaskRequest.of(WorkflowTasks::start, "y").queue("idle"));
        List<TaskSummary> listed = taskq.workflow(root);
        assertEquals(Map.of(root, TaskLocation.Place.FINISHED, h.id(), TaskLocation.Place.RUNNING),
                listed.stream().collect(Collectors.toMap(TaskSummary::id, TaskSummary::place)));
        assertEquals(List.of(other.id()), ids(taskq.workflow(other.id())).stream().toList());
        assertEquals(TaskLocation.Place.QUEUED, taskq.workflow(other.id()).get(0).place());
        tasks.gate.countDown();
        assertEquals("xa", h.get(WAIT));
    }

    @Test
    void aDelayedStepIsListedByItsMessagesRootAndRevoked() {
        worker();
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::append, "b").countdown(Duration.ofHours(1))));
        String root = h.steps().get(0).id();
        Await.until(WAIT, "the second step delayed", () -> taskq.workflow(root).size() == 2);
        TaskSummary later = taskq.workflow(root).get(0);
        assertEquals(h.id(), later.id());
        assertEquals(TaskLocation.Place.DELAYED, later.place());
        assertNull(later.record(), "not claimed yet: the root comes from its message");
        assertEquals(root, later.rootId());
        assertEquals(1, taskq.revokeWorkflow(root, "stop"));
        assertEquals(TaskState.REVOKED, h.state());
        TaskRecord r = record(h.steps().get(1));
        assertEquals(root, r.rootId(), "the revoke's record takes the lineage from the message");
        assertEquals(root, r.parentId());
    }

    @Test
    void revokingTheWorkflowStopsAChainMidWay() {
        worker();
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::gated)).then(Signature.of(WorkflowTasks::append, "b"))
                .then(Signature.of(WorkflowTasks::append, "c")));
        String root = h.steps().get(0).id();
        Await.until(WAIT, "the second step running", () -> tasks.count("gated") == 1);
        assertEquals(1, taskq.revokeWorkflow(root, "workflow stopped"));
        TaskHandle<?> gated = h.steps().get(1);
        Await.until(WAIT, "the running step revoked", () -> gated.state() == TaskState.REVOKED);
        TaskRecord r = record(gated);
        assertEquals(root, r.rootId());
        assertEquals(root, r.parentId());
        // the revoked step's finish sent no follow-up (they go with the finish, atomically): the chain ends there
        assertEquals(TaskState.UNKNOWN, h.steps().get(2).state());
        assertEquals(Set.of(root, gated.id()), ids(taskq.workflow(root)));
        assertEquals(0, taskq.revokeWorkflow(root, "again"), "nothing left to revoke");
        assertEquals(0, tasks.count("append"));
    }

    @Test
    void revokingTheWorkflowRemovesItsQueuedTasks() {
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "x"))
                .then(Signature.of(WorkflowTasks::append, "b")));
        String root = h.steps().get(0).id();
        assertEquals(1, taskq.revokeWorkflow(root, "stop"));
        assertEquals(TaskState.REVOKED, h.steps().get(0).state());
        worker();
        assertEquals("zab", taskq.submit(Chain.of(TaskRequest.of(WorkflowTasks::start, "z"))
                .then(Signature.of(WorkflowTasks::append, "b"))).get(WAIT));
        assertEquals(1, tasks.count("start"), "the revoked first step never ran");
        assertNotEquals(TaskState.SUCCESS, h.steps().get(1).state(), "its next step was never sent");
    }

    private static Set<String> ids(List<TaskSummary> l) {
        return l.stream().map(TaskSummary::id).collect(Collectors.toSet());
    }
}
