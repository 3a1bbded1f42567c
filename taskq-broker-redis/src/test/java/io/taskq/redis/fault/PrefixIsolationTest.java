package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.QueueStats;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.RevokeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two key prefixes on one Redis: tasks, ids, results, revocations, dead letters and leases never cross. */
class PrefixIsolationTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void prefixesNeverSeeEachOther() {
        try (RedisBroker alpha = RedisBroker.builder().uri(server.url()).keyPrefix("alpha").build();
             RedisBroker beta = RedisBroker.builder().uri(server.url()).keyPrefix("beta").build();
             Taskq a = Taskq.builder().broker(alpha).tasks(new FaultTasks()).build();
             Taskq b = Taskq.builder().broker(beta).tasks(new FaultTasks()).build()) {
            TaskHandle<String> inBeta = b.submit(TaskRequest.of(FaultTasks::echo, "from-beta").queue("shared")
                    .id("same"));
            TaskHandle<String> inAlpha = a.submit(TaskRequest.of(FaultTasks::echo, "from-alpha").queue("shared")
                    .id("same"));
            assertEquals(new QueueStats("shared", 1, 0, 0, 0), counts(alpha.stats("shared")),
                    "the same id is new in alpha");
            assertEquals(RevokeResult.NOT_FOUND, alpha.revoke("shared", "later", "only alpha"));

            a.startWorker(WorkerOptions.builder().queues("shared").claimWait(Duration.ofMillis(300)).build());
            assertEquals("from-alpha", inAlpha.get(Duration.ofSeconds(10)));
            assertEquals(TaskState.PENDING, inBeta.state(), "alpha's worker never takes beta's task");
            assertEquals(new QueueStats("shared", 1, 0, 0, 0), counts(beta.stats("shared")));

            TaskHandle<String> later = b.submit(TaskRequest.of(FaultTasks::echo, "not revoked").queue("shared")
                    .id("later"));
            assertTrue(alpha.tryAcquire("leader", "a", Duration.ofSeconds(30)));
            assertTrue(beta.tryAcquire("leader", "b", Duration.ofSeconds(30)), "leases are per prefix");

            b.startWorker(WorkerOptions.builder().queues("shared").claimWait(Duration.ofMillis(300)).build());
            assertEquals("from-beta", inBeta.get(Duration.ofSeconds(10)));
            assertEquals("not revoked", later.get(Duration.ofSeconds(10)));
            assertEquals("from-alpha", a.handle("shared", "same", String.class).get(Duration.ofSeconds(1)));

            List<String> keys = new ArrayList<>();
            server.with(r -> keys.addAll(r.keys("*")));
            assertTrue(keys.stream().allMatch(k -> k.startsWith("{alpha:") || k.startsWith("{alpha}")
                    || k.startsWith("{beta:") || k.startsWith("{beta}")), keys.toString());
        }
    }

    /** The counts alone (the age of the oldest ready task depends on the time of the call). */
    private static QueueStats counts(QueueStats s) {
        return new QueueStats(s.queue(), s.ready(), s.delayed(), s.inFlight(), s.dead());
    }
}
