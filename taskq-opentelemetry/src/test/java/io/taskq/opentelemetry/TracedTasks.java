package io.taskq.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.taskq.Task;
import io.taskq.TaskContext;
import io.taskq.Taskq;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/** Tasks for the tracing tests; one instance per test. */
public class TracedTasks {
    /** What each run saw: the MDC's trace and span ids and the current span's. */
    record Seen(String mdcTraceId, String mdcSpanId, String traceId, String spanId) {
    }

    final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    final AtomicInteger flakyRuns = new AtomicInteger();
    /** Where {@link #parent} submits its child; set by the test. */
    volatile Taskq taskq;

    private void see() {
        Span current = Span.current();
        seen.add(new Seen(MDC.get(TaskqTracing.MDC_TRACE_ID), MDC.get(TaskqTracing.MDC_SPAN_ID),
                current.getSpanContext().getTraceId(), current.getSpanContext().getSpanId()));
    }

    @Task(name = "t.ok")
    public String ok(String s) {
        see();
        return "ok " + s;
    }

    @Task(name = "t.headers")
    public Map<String, String> headers() {
        return TaskContext.current().orElseThrow().headers();
    }

    @Task(name = "t.flaky", maxRetries = 1, backoff = "0ms")
    public String flaky() {
        see();
        if (flakyRuns.incrementAndGet() == 1) {
            throw new IllegalStateException("first attempt fails");
        }
        return "second attempt";
    }

    @Task(name = "t.parent")
    public String parent(String s) {
        see();
        return taskq.submit(TracedTasks::ok, s).id();
    }
}
