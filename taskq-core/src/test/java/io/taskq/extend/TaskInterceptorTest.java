package io.taskq.extend;

import static io.taskq.TaskEvent.Kind.CLAIMED;
import static io.taskq.TaskEvent.Kind.DEAD_LETTERED;
import static io.taskq.TaskEvent.Kind.FAILED;
import static io.taskq.TaskEvent.Kind.RETRIED;
import static io.taskq.TaskEvent.Kind.SENT;
import static io.taskq.TaskEvent.Kind.REVOKED;
import static io.taskq.TaskEvent.Kind.STARTED;
import static io.taskq.TaskEvent.Kind.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskContext;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskInterceptor;
import io.taskq.TaskRevokedException;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Interceptors wrap each invocation, in registration order, and cannot escape the time limit or a revoke. */
class TaskInterceptorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private final Recorder recorder = new Recorder();
    private Taskq taskq;

    private Taskq start(TaskInterceptor... interceptors) {
        Taskq.Builder b = Taskq.builder().tasks(tasks).listener(recorder);
        for (TaskInterceptor i : interceptors) {
            b.interceptor(i);
        }
        taskq = b.build();
        taskq.startWorker(WorkerOptions.builder().concurrency(2).claimWait(Duration.ofMillis(200))
                .lease(Duration.ofSeconds(3)).leaseRenewInterval(Duration.ofMillis(100))
                .shutdownGrace(Duration.ofSeconds(5)).abandonAfter(Duration.ofMillis(300)).build());
        return taskq;
    }

    @AfterEach
    void close() {
        tasks.release.countDown();
        if (taskq != null) {
            taskq.close();
        }
    }

    /** Turns every failure, the interrupt's included, into a result. */
    private static final TaskInterceptor SWALLOWS_FAILURES = (context, next) -> {
        try {
            return next.proceed();
        } catch (Exception swallowed) {
            return "swallowed";
        }
    };

    /** An interceptor that writes its name before and after the rest of the chain. */
    private static TaskInterceptor tracing(String name, Queue<String> trace) {
        return (context, next) -> {
            trace.add(name + ">" + context.taskName());
            try {
                return next.proceed();
            } finally {
                trace.add("<" + name);
            }
        };
    }

    @Test
    void interceptorsNestInRegistrationOrderAroundTheMethod() {
        Queue<String> trace = new ConcurrentLinkedQueue<>();
        Queue<TaskContext> seen = new ConcurrentLinkedQueue<>();
        start(tracing("a", trace), (context, next) -> {
            seen.add(context);
            assertEquals(context, TaskContext.current().orElseThrow(), "the same context as the task's");
            return next.proceed();
        }, tracing("b", trace));
        TaskHandle<String> h = taskq.submit(ExtensionTasks::ok, "x");
        assertEquals("ok x", h.get(WAIT));
        assertEquals(List.of("a>x.ok", "b>x.ok", "<b", "<a"), List.copyOf(trace));
        assertEquals(h.id(), seen.element().taskId());
        assertEquals(1, tasks.count("ok"));
    }

    @Test
    void anInterceptorCanReplaceTheResultOrNotProceed() {
        start((context, next) -> context.taskName().equals("x.ok") ? "replaced " + next.proceed() : "skipped");
        assertEquals("replaced ok a", taskq.submit(ExtensionTasks::ok, "a").get(WAIT));
        TaskHandle<String> skipped = taskq.submit(ExtensionTasks::block);
        assertEquals("skipped", skipped.get(WAIT));
        assertEquals(0, tasks.count("block"), "not proceeding skips the method");
        recorder.await(skipped.id(), SENT, CLAIMED, STARTED, SUCCEEDED);
    }

    @Test
    void whatAnInterceptorThrowsIsTheTasksFailureUnderItsRetryRules() {
        start((context, next) -> {
            throw new IOException("refused by interceptor");
        });
        TaskHandle<String> retried = taskq.submit(ExtensionTasks::io);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> retried.get(WAIT));
        assertEquals("java.io.IOException", e.error().type());
        recorder.await(retried.id(), SENT, CLAIMED, STARTED, FAILED, RETRIED, CLAIMED, STARTED, FAILED, DEAD_LETTERED);
        assertEquals(0, tasks.count("io"));
        TaskHandle<String> once = taskq.submit(ExtensionTasks::ok, "no retries");
        assertThrows(TaskFailedException.class, () -> once.get(WAIT));
        recorder.await(once.id(), SENT, CLAIMED, STARTED, FAILED, DEAD_LETTERED);
    }

    @Test
    void theMethodsOwnExceptionReachesTheInterceptorUnwrapped() {
        Queue<Throwable> caught = new ConcurrentLinkedQueue<>();
        start((context, next) -> {
            try {
                return next.proceed();
            } catch (Exception ex) {
                caught.add(ex);
                throw ex;
            }
        });
        assertThrows(TaskFailedException.class, () -> taskq.submit(ExtensionTasks::fails).get(WAIT));
        assertEquals(2, caught.size(), "both attempts");
        assertTrue(caught.stream().allMatch(t -> t instanceof IllegalStateException && t.getMessage().equals("boom")));
    }

    @Test
    void theTimeLimitHoldsEvenIfAnInterceptorSwallowsTheInterrupt() {
        start(SWALLOWS_FAILURES);
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> taskq.submit(ExtensionTasks::slow).get(WAIT));
        assertEquals("io.taskq.TaskTimeLimitExceededException", e.error().type());
    }

    @Test
    void aRevokeHoldsEvenIfAnInterceptorSwallowsTheInterrupt() {
        start(SWALLOWS_FAILURES);
        TaskHandle<String> h = taskq.submit(ExtensionTasks::block);
        recorder.await(h.id(), SENT, CLAIMED, STARTED);
        assertTrue(h.revoke());
        assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        recorder.await(h.id(), SENT, CLAIMED, STARTED, REVOKED);
    }
}
