package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * redis-server killed and restarted (AOF, fsync always) while workers are idle and while they are busy:
 * consumption resumes by itself and nothing Redis kept is lost.
 */
class RedisRestartTest {
    private RedisTestServer server;
    private RedisBroker broker;
    private Taskq taskq;

    @BeforeEach
    void start() {
        server = RedisTestServer.startLocal(true);
        broker = RedisBroker.builder().uri(server.url()).keyPrefix("restart").commandTimeout(Duration.ofSeconds(2))
                .build();
        taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
        taskq.startWorker(WorkerOptions.builder().queues("r").concurrency(4).lease(Duration.ofSeconds(3))
                .claimWait(Duration.ofSeconds(2)).build());
    }

    @AfterEach
    void stop() {
        taskq.close();
        broker.close();
        server.close();
    }

    private <R> TaskHandle<R> submitWhenUp(TaskRequest<R> request) {
        Object[] box = new Object[1];
        Await.until(Duration.ofSeconds(10), "Redis accepts submits again", () -> {
            try {
                box[0] = taskq.submit(request);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        @SuppressWarnings("unchecked")
        TaskHandle<R> h = (TaskHandle<R>) box[0];
        return h;
    }

    private static TaskState stateOf(TaskHandle<?> h) {
        try {
            return h.state();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Test
    void idleWorkersResumeAfterARestart() throws Exception {
        assertEquals("before", taskq.submit(TaskRequest.of(FaultTasks::echo, "before").queue("r"))
                .get(Duration.ofSeconds(10)));
        server.kill();
        server.restart();
        TaskHandle<String> after = submitWhenUp(TaskRequest.of(FaultTasks::echo, "after").queue("r"));
        // The worker was blocked on the old connection; it must notice and consume within 10 s.
        assertEquals("after", after.get(Duration.ofSeconds(10)));
    }

    @Test
    void busyWorkersResumeAndNothingKeptIsLost() throws Exception {
        List<TaskHandle<Integer>> hs = new ArrayList<>();
        List<TaskRequest<?>> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            requests.add(TaskRequest.of(FaultTasks::slow, 20).queue("r"));
        }
        taskq.submitAll(requests).forEach(h -> {
            @SuppressWarnings("unchecked")
            TaskHandle<Integer> t = (TaskHandle<Integer>) h;
            hs.add(t);
        });
        Await.until(Duration.ofSeconds(30), "some tasks done",
                () -> hs.stream().filter(h -> stateOf(h) == TaskState.SUCCESS).count() >= 20);
        server.kill();
        server.restart();
        Await.until(Duration.ofSeconds(60), "every task done after the restart",
                () -> hs.stream().allMatch(h -> stateOf(h) == TaskState.SUCCESS));
        TaskHandle<String> more = submitWhenUp(TaskRequest.of(FaultTasks::echo, "more").queue("r"));
        assertEquals("more", more.get(Duration.ofSeconds(10)));
    }
}
