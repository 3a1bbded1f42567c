package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.DeadLetter;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Messages written into Redis by hand, bypassing the client, end as dead letters with a reason. */
class MalformedEntriesTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void handWrittenGarbageIsDeadLetteredAndTheWorkerGoesOn() {
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix("mal").build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            String base = broker.queueKeyBase("m");
            Map<String, String> bodies = Map.of(
                    "bad-json", "2814749767106561\nf.echo\n{not json",
                    "bad-version", "2814749767106562\nf.echo\n{\"v\":99,\"headers\":{},\"body\":[[],{},{}]}",
                    "no-headers", "2814749767106563\nf.echo\n{\"v\":1,\"body\":[[\"x\"],{},{}]}",
                    "no-task", "2814749767106564\nf.echo\n{\"v\":1,\"headers\":{\"id\":\"no-task\",\"queue\":\"m\"},"
                            + "\"body\":[[\"x\"],{},{}]}",
                    "no-layout", "just some bytes");
            server.with(r -> {
                long seq = 1;
                for (Map.Entry<String, String> e : bodies.entrySet()) {
                    r.hset(base + ":job", e.getKey(), e.getValue());
                    r.zadd(base + ":ready", 2814749767106560d + seq++, e.getKey());
                }
                r.zadd(base + ":marker", 0, "0");
            });
            taskq.startWorker(WorkerOptions.builder().queues("m").claimWait(Duration.ofMillis(300)).build());
            assertEquals("fine", taskq.submit(TaskRequest.of(FaultTasks::echo, "fine").queue("m"))
                    .get(Duration.ofSeconds(10)));
            Await.until(Duration.ofSeconds(10), "all garbage dead-lettered",
                    () -> broker.deadLetters("m", 10).size() == bodies.size());
            Map<String, String> reasons = broker.deadLetters("m", 10).stream()
                    .collect(Collectors.toMap(DeadLetter::id, DeadLetter::reason));
            assertTrue(reasons.get("bad-json").contains("not JSON"), reasons.toString());
            assertTrue(reasons.get("bad-version").contains("unsupported envelope version 99"), reasons.toString());
            assertTrue(reasons.get("no-headers").contains("missing 'headers'"), reasons.toString());
            assertTrue(reasons.get("no-task").contains("missing header 'task'"), reasons.toString());
            assertTrue(reasons.get("no-layout").contains("MalformedMessage"), reasons.toString());
            assertEquals(0, broker.stats("m").ready());
        }
    }
}
