package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Group;
import io.taskq.GroupHandle;
import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A group of 100,000 members (docs/workflows.md): submitted in batches of {@link Group#BATCH}, each one broker call;
 * its member ids derive from the group's, so submitting it again sends nothing twice; a worker runs it and the
 * handle returns every result in member order.
 */
class GroupBulkTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final int MEMBERS = 100_000;

    /** The members' task. */
    public static class Tasks {
        /** Returns its argument. */
        @Task(name = "bulk.id")
        public int id(int n) {
            return n;
        }
    }

    @Test
    void aGroupOf100kMembersIsSubmittedInBulkOnceAndRuns() {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new Tasks()).build()) {
            List<TaskRequest<Integer>> members = new ArrayList<>(MEMBERS);
            for (int i = 0; i < MEMBERS; i++) {
                members.add(TaskRequest.of(Tasks::id, i));
            }
            Group<Integer> group = Group.of(members).id("bulk-1");
            GroupHandle<Integer> h = taskq.submit(group);
            assertEquals(MEMBERS, h.size());
            assertEquals(java.util.UUID.nameUUIDFromBytes("bulk-1/group/99999".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)).toString(), h.members().get(99_999).id());
            assertTrue(h.members().stream().allMatch(TaskHandle::created));
            assertEquals(MEMBERS, broker.stats("default").ready());

            GroupHandle<Integer> again = taskq.submit(group);
            assertTrue(again.members().stream().noneMatch(TaskHandle::created), "a retried submit sends nothing");
            assertEquals(MEMBERS, broker.stats("default").ready());

            taskq.startWorker(WorkerOptions.builder().queues("default").concurrency(8).build());
            Await.until(Duration.ofMinutes(3), "every member ran", () -> {
                var s = broker.stats("default");
                return s.ready() == 0 && s.inFlight() == 0;
            });
            List<Integer> results = h.get(Duration.ofMinutes(3));
            assertEquals(MEMBERS, results.size());
            for (int i = 0; i < MEMBERS; i += 997) {
                assertEquals(i, results.get(i));
            }
            assertEquals(MEMBERS - 1, results.get(MEMBERS - 1));
        }
    }
}
