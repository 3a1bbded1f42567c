package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.CommandType;
import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Losing the event stream never loses or delays a task: a Redis that refuses every XADD (an ACL user without it)
 * still runs every task, and the application counts the events it could not publish.
 */
class EventStreamFaultTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void aRedisRefusingXaddStillRunsEveryTask() {
        String user = "noxadd" + UUID.randomUUID().toString().substring(0, 8);
        server.with(r -> r.aclSetuser(user, AclSetuserArgs.Builder.on().addPassword("pw").allKeys().allChannels()
                .allCommands()));
        server.with(r -> r.aclSetuser(user, AclSetuserArgs.Builder.removeCommand(CommandType.XADD)));
        RedisURI uri = RedisURI.create(server.url());
        uri.setUsername(user);
        uri.setPassword("pw".toCharArray());
        try (RedisBroker broker = RedisBroker.builder().uri(uri).keyPrefix("f" + user).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            Worker w = taskq.startWorker(WorkerOptions.builder().concurrency(4).build());
            List<TaskHandle<String>> hs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                hs.add(taskq.submit(FaultTasks::echo, "t" + i));
            }
            for (int i = 0; i < hs.size(); i++) {
                assertEquals("t" + i, hs.get(i).get(Duration.ofSeconds(20)));
            }
            assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "not held up by the refused appends");
            Await.until(Duration.ofSeconds(10), "refused events counted", () -> taskq.events().dropped() >= 1200);
            assertEquals(0, taskq.events().since(null, 10).events().size(), "nothing stored");
            assertTrue(w.isHealthy());
        } finally {
            server.with(r -> r.aclDeluser(user));
        }
    }
}
