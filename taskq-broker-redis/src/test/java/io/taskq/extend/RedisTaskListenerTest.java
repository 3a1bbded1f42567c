package io.taskq.extend;

import static io.taskq.TaskEvent.Kind.CLAIMED;
import static io.taskq.TaskEvent.Kind.DEAD_LETTERED;
import static io.taskq.TaskEvent.Kind.FAILED;
import static io.taskq.TaskEvent.Kind.HANDED_BACK;
import static io.taskq.TaskEvent.Kind.RETRIED;
import static io.taskq.TaskEvent.Kind.SENT;
import static io.taskq.TaskEvent.Kind.REVOKED;
import static io.taskq.TaskEvent.Kind.STARTED;
import static io.taskq.TaskEvent.Kind.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskRevokedException;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A listener and an interceptor see the same events on a Redis broker as on the in-memory one. */
class RedisTaskListenerTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private final Recorder recorder = new Recorder();
    private final AtomicInteger intercepted = new AtomicInteger();
    private RedisBroker broker;
    private Taskq taskq;
    private Worker worker;

    @BeforeEach
    void open() {
        broker = server.broker(Clock.systemUTC(), b -> b);
        taskq = Taskq.builder().broker(broker).tasks(tasks).listener(recorder)
                .interceptor((context, next) -> {
                    intercepted.incrementAndGet();
                    return next.proceed();
                }).build();
        worker = taskq.startWorker(WorkerOptions.builder().concurrency(2).claimWait(Duration.ofMillis(200))
                .lease(Duration.ofSeconds(3)).leaseRenewInterval(Duration.ofMillis(100))
                .shutdownGrace(Duration.ofMillis(200)).build());
    }

    @AfterEach
    void close() {
        tasks.release.countDown();
        taskq.close();
        broker.close();
    }

    @Test
    void successRetryAndDeadLetterAreHeard() {
        TaskHandle<String> ok = taskq.submit(ExtensionTasks::ok, "redis");
        assertEquals("ok redis", ok.get(WAIT));
        recorder.await(ok.id(), SENT, CLAIMED, STARTED, SUCCEEDED);
        TaskHandle<String> fails = taskq.submit(ExtensionTasks::fails);
        assertThrows(TaskFailedException.class, () -> fails.get(WAIT));
        var events = recorder.await(fails.id(), SENT, CLAIMED, STARTED, FAILED, RETRIED, CLAIMED, STARTED, FAILED,
                DEAD_LETTERED);
        assertEquals(2, events.get(5).attempt(), "the broker counts the claims");
        assertEquals(worker.id(), events.get(8).workerId());
        assertEquals(events.get(0).sentAt(), events.get(2).sentAt(), "the send time travels in the message");
        assertNotNull(events.get(2).waitTime());
        assertEquals(events.get(4).retryAt(), events.get(6).eta(), "a retry is sent again with its time as ETA");
        assertEquals(3, intercepted.get());
    }

    @Test
    void aRevokeWhileRunningAndAHandBackAtCloseAreHeard() {
        TaskHandle<String> revoked = taskq.submit(ExtensionTasks::block);
        recorder.await(revoked.id(), SENT, CLAIMED, STARTED);
        assertTrue(revoked.revoke());
        assertThrows(TaskRevokedException.class, () -> revoked.get(WAIT));
        recorder.await(revoked.id(), SENT, CLAIMED, STARTED, REVOKED);
        TaskHandle<String> running = taskq.submit(ExtensionTasks::block);
        recorder.await(running.id(), SENT, CLAIMED, STARTED);
        worker.close();
        recorder.await(running.id(), SENT, CLAIMED, STARTED, HANDED_BACK);
    }
}
