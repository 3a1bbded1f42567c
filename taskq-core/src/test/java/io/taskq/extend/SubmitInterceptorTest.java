package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.SubmitInterceptor;
import io.taskq.TaskContext;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Submit interceptors wrap each submit in registration order; what they pass on is what is sent. */
class SubmitInterceptorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private final Recorder recorder = new Recorder();
    private Taskq taskq;

    private Taskq build(SubmitInterceptor... interceptors) {
        Taskq.Builder b = Taskq.builder().tasks(tasks).listener(recorder);
        for (SubmitInterceptor i : interceptors) {
            b.submitInterceptor(i);
        }
        taskq = b.build();
        tasks.taskq = taskq;
        return taskq;
    }

    private void startWorker() {
        taskq.startWorker(WorkerOptions.builder().concurrency(2).claimWait(Duration.ofMillis(200)).build());
    }

    @AfterEach
    void close() {
        tasks.release.countDown();
        if (taskq != null) {
            taskq.close();
        }
    }

    /** Adds a header named after the interceptor and writes its name before and after the rest of the chain. */
    private static SubmitInterceptor adding(String name, Queue<String> trace) {
        return (requests, next) -> {
            trace.add(name + ">" + requests.size());
            try {
                return next.proceed(requests.stream().map(r -> r.header("by-" + name, name)).toList());
            } finally {
                trace.add("<" + name);
            }
        };
    }

    @Test
    void interceptorsNestInRegistrationOrderAndTheirHeadersReachTheTask() {
        Queue<String> trace = new ConcurrentLinkedQueue<>();
        build(adding("a", trace), adding("b", trace));
        startWorker();
        TaskHandle<Map<String, String>> h = taskq.submit(TaskRequest.of(ExtensionTasks::headers).header("own", "1"));
        assertEquals(Map.of("own", "1", "by-a", "a", "by-b", "b"), h.get(WAIT));
        assertEquals(List.of("a>1", "b>1", "<b", "<a"), List.copyOf(trace));
    }

    /** Stands for the application's notion of the current tenant (docs/extending.md). */
    static final class Tenant {
        static String current() {
            return "acme";
        }
    }

    @Test
    void theDocsExampleAddsAHeaderToEverySubmit() {
        Taskq taskq = Taskq.builder()
                .tasks(tasks)
                .submitInterceptor((requests, next) -> next.proceed(requests.stream()
                        .map(r -> r.header("tenant", Tenant.current()))
                        .toList()))
                .build();
        this.taskq = taskq;
        startWorker();
        assertEquals(Map.of("tenant", "acme"), taskq.submit(ExtensionTasks::headers).get(WAIT));
    }

    @Test
    void theHandlesOfABatchComeBackInRequestOrder() {
        Queue<String> trace = new ConcurrentLinkedQueue<>();
        build(adding("a", trace));
        List<TaskRequest<?>> requests = List.of(TaskRequest.of(ExtensionTasks::ok, "1").id("one"),
                TaskRequest.of(ExtensionTasks::headers).id("two"));
        List<TaskHandle<?>> handles = taskq.submitAll(requests);
        assertEquals(List.of("one", "two"), handles.stream().map(TaskHandle::id).toList());
        assertEquals(List.of("a>2", "<a"), List.copyOf(trace));
    }

    @Test
    void aThrowingInterceptorFailsTheSubmitWithNothingSent() {
        IllegalStateException refused = new IllegalStateException("refused");
        build((requests, next) -> {
            throw refused;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> taskq.submit(ExtensionTasks::ok, "x"));
        assertSame(refused, e);
        assertEquals(0, taskq.stats("default").ready());
    }

    @Test
    void passingOnOtherRequestsThanGivenFailsClearlyWithNothingSent() {
        build((requests, next) -> next.proceed(List.of()));
        IllegalStateException fewer = assertThrows(IllegalStateException.class,
                () -> taskq.submit(ExtensionTasks::ok, "x"));
        assertTrue(fewer.getMessage().contains("0 request(s) on for 1 given"), fewer.getMessage());
        taskq.close();

        build((requests, next) -> next.proceed(List.of(TaskRequest.of(ExtensionTasks::headers))));
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> taskq.submit(ExtensionTasks::ok, "x"));
        assertTrue(other.getMessage().contains("instead of task 'x.ok'"), other.getMessage());
        assertEquals(0, taskq.stats("default").ready());
    }

    @Test
    void handlesNotMatchingTheRequestsFailTheSubmit() {
        build((requests, next) -> {
            List<TaskHandle<?>> handles = new ArrayList<>(next.proceed(requests));
            handles.add(handles.get(0));
            return handles;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> taskq.submit(ExtensionTasks::ok, "x"));
        assertTrue(e.getMessage().contains("returned 2 handle(s) for 1 request(s)"), e.getMessage());
    }

    @Test
    void aTaskSubmittedFromATaskIsInterceptedOnTheTasksThread() {
        Queue<Optional<String>> submittedFrom = new ConcurrentLinkedQueue<>();
        build((requests, next) -> {
            submittedFrom.add(TaskContext.current().map(TaskContext::taskName));
            return next.proceed(requests);
        });
        startWorker();
        String child = taskq.submit(ExtensionTasks::spawn, "c").get(WAIT);
        assertEquals("ok c", taskq.handle(child, String.class).get(WAIT));
        assertEquals(List.of(Optional.empty(), Optional.of("x.spawn")), List.copyOf(submittedFrom));
    }
}
