package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chord;
import io.taskq.ChordHandle;
import io.taskq.Group;
import io.taskq.Signature;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.RevokeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chord members' worker JVM killed with SIGKILL at the points that matter to the callback (docs/workflows.md), many
 * times: after a member's join reached Redis but before its finish, right after a member's finish, and while the
 * call that joins (and may enqueue the callback) is in flight. Each time the members the child held run again
 * elsewhere, and the callback runs exactly once, with every member's result in order. Likewise for members revoked
 * while they wait, whose error path runs exactly once.
 */
class ChordCrashTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final int MEMBERS = 24;
    private static final String[] MODES = {"join", "finish", "during"};

    @Test
    void theCallbackRunsOnceWhateverPointTheMembersWorkerIsKilledAt() throws Exception {
        int iterations = Integer.getInteger("taskq.chordCrash.iterations", 9);
        Random random = new Random(Long.getLong("taskq.chordCrash.seed", System.nanoTime()));
        for (int i = 0; i < iterations; i++) {
            String mode = MODES[i % MODES.length];
            int killAt = 1 + random.nextInt(3);
            killOnce("chordcrash" + System.nanoTime(), mode, killAt);
        }
    }

    private void killOnce(String prefix, String mode, int killAt) throws Exception {
        FaultTasks.RUNS.clear();
        Process child = ChildJvm.startWorker(server.url(), prefix,
                List.of("-Dtaskq.child.chordKill=" + mode + ":" + killAt), "members", "2000", "4");
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            List<TaskRequest<Integer>> members = new ArrayList<>();
            for (int n = 0; n < MEMBERS; n++) {
                members.add(TaskRequest.of(FaultTasks::chordMember, n).queue("members"));
            }
            ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(members),
                    Signature.of(FaultTasks::chordSum).queue("cb")));
            String what = mode + ":" + killAt;
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child killed itself (" + what + ")");

            taskq.startWorker(WorkerOptions.builder().queues("members", "cb").concurrency(4)
                    .lease(Duration.ofSeconds(2)).claimWait(Duration.ofMillis(300)).build());
            int expected = IntStream.range(0, MEMBERS).map(n -> n * n).sum();
            assertEquals(expected, h.get(Duration.ofSeconds(60)), what);
            assertTrue(h.header().states().stream().allMatch(s -> s == TaskState.SUCCESS), what);
            Await.until(Duration.ofSeconds(20), "queues drained", () -> drained(broker, "members")
                    && drained(broker, "cb"));
            assertEquals(1, FaultTasks.RUNS.get("chord-callback").get(), "callback runs (" + what + ")");
            assertEquals(1, broker.get("cb", h.callback().id()).orElseThrow().attempt(), what);
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * Members revoked while they wait (docs/workflows.md#members-the-broker-ends): the members' worker JVM is killed
     * before it sends a revoked member's join, and after that join reached Redis but before its finish. The error
     * callback runs exactly once, the callback never, and the revoked members end REVOKED at the next worker.
     */
    @Test
    void aRevokedMembersErrorPathRunsOnceWhateverPointItsWorkerIsKilledAt() throws Exception {
        for (String mode : new String[] {"before-failure", "join-failure"}) {
            killRevoked("chordrevoke" + System.nanoTime(), mode);
        }
    }

    private void killRevoked(String prefix, String mode) throws Exception {
        FaultTasks.RUNS.clear();
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            List<TaskRequest<Integer>> members = new ArrayList<>();
            for (int n = 0; n < 8; n++) {
                members.add(TaskRequest.of(FaultTasks::chordMember, n).queue("members"));
            }
            ChordHandle<Integer> h = taskq.submit(Chord.of(Group.of(members),
                    Signature.of(FaultTasks::chordSum).queue("cb"))
                    .linkError(Signature.of(FaultTasks::chordError).queue("cb")));
            List<Integer> revoked = List.of(2, 5);
            for (int n : revoked) {
                assertEquals(RevokeResult.SIGNALLED, h.header().members().get(n).revoke("stop"), mode);
            }
            Process child = ChildJvm.startWorker(server.url(), prefix,
                    List.of("-Dtaskq.child.chordKill=" + mode + ":1"), "members", "2000", "4");
            try {
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child killed itself (" + mode + ")");
            } finally {
                child.destroyForcibly();
            }
            taskq.startWorker(WorkerOptions.builder().queues("members", "cb").concurrency(4)
                    .lease(Duration.ofSeconds(2)).claimWait(Duration.ofMillis(300)).build());
            Await.until(Duration.ofSeconds(60), "members ended (" + mode + ")",
                    () -> h.header().states().stream().allMatch(TaskState::isFinal));
            Await.until(Duration.ofSeconds(20), "queues drained", () -> drained(broker, "members")
                    && drained(broker, "cb"));
            for (int n = 0; n < 8; n++) {
                assertEquals(revoked.contains(n) ? TaskState.REVOKED : TaskState.SUCCESS,
                        h.header().states().get(n), mode + ", member " + n);
            }
            assertEquals(TaskState.FAILURE, h.state(), mode);
            assertEquals("taskq.ChordError", broker.get("cb", h.callback().id()).orElseThrow().error().type(), mode);
            assertEquals(1, FaultTasks.RUNS.get("chord-error").get(), "error callback runs (" + mode + ")");
            assertEquals(null, FaultTasks.RUNS.get("chord-callback"), "the callback never runs (" + mode + ")");
        }
    }

    private static boolean drained(RedisBroker broker, String queue) {
        var s = broker.stats(queue);
        return s.ready() == 0 && s.inFlight() == 0 && s.delayed() == 0 && s.dead() == 0;
    }
}
