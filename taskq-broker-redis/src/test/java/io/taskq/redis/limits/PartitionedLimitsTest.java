package io.taskq.redis.limits;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chain;
import io.taskq.Signature;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.contract.LimitTasks;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partitioned queue refuses limited tasks (docs/limits.md): a limited submit, and a workflow whose follow-up would
 * carry limits there, both at submit with the reason.
 */
class PartitionedLimitsTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void aLimitedTaskAndALimitedFollowUpAreRefusedAtSubmit() {
        try (RedisBroker broker = RedisBroker.builder().uri(server.url())
                .keyPrefix("pl" + UUID.randomUUID().toString().substring(0, 8)).partitions("lim", 3).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new LimitTasks()).build()) {
            Exception direct = assertThrows(RuntimeException.class,
                    () -> taskq.submit(TaskRequest.of(LimitTasks::slow, "x")));
            assertTrue(String.valueOf(direct.getMessage()).contains("spread over 3 partitions"), direct.toString());
            IllegalArgumentException chain = assertThrows(IllegalArgumentException.class, () -> taskq.submit(
                    Chain.of(TaskRequest.of(LimitTasks::source, "acme")).then(Signature.of(LimitTasks::step, 1))));
            assertTrue(chain.getMessage().contains("'lim.step' carries limits as a follow-up, but queue 'lim' is spread"
                    + " over 3 partitions"), chain.getMessage());
            IllegalArgumentException callback = assertThrows(IllegalArgumentException.class, () -> taskq.submit(
                    TaskRequest.of(LimitTasks::source, "acme").link(Signature.of(LimitTasks::step, 1))));
            assertTrue(callback.getMessage().contains("carries limits as a follow-up"), callback.getMessage());
            taskq.submit(Chain.of(TaskRequest.of(LimitTasks::source, "acme"))
                    .then(Signature.of(LimitTasks::source)));
        }
    }
}
