package io.taskq.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.taskq.SubmitInterceptor;
import io.taskq.TaskInterceptor;
import java.util.Objects;

/**
 * OpenTelemetry tracing for taskq: a producer span per submitted task, whose context travels to the workers in the
 * task's headers (by the {@link OpenTelemetry}'s propagator, W3C {@code traceparent} usually), and a consumer span
 * per attempt, the child of that context, so that a task's attempts, its retries and the tasks it submits share
 * the submitter's trace. During an attempt the SLF4J MDC holds {@value #MDC_TRACE_ID} and {@value #MDC_SPAN_ID}.
 *
 * <pre>{@code
 * TaskqTracing tracing = TaskqTracing.create(openTelemetry);
 * Taskq taskq = Taskq.builder()
 *         .tasks(new EmailTasks())
 *         .submitInterceptor(tracing.submitInterceptor())
 *         .interceptor(tracing.taskInterceptor())
 *         .build();
 * }</pre>
 *
 * <p>Register the submit interceptor on every application that submits, and the task interceptor on every one that
 * runs workers; register the task interceptor first (outermost) so that the other interceptors run inside the
 * attempt's span. See docs/tracing.md for the spans and their attributes.
 */
public final class TaskqTracing {
    /** MDC key of the trace id (32 hex digits) during an attempt. */
    public static final String MDC_TRACE_ID = "trace_id";
    /** MDC key of the attempt's span id (16 hex digits) during an attempt. */
    public static final String MDC_SPAN_ID = "span_id";

    /** The instrumentation scope of taskq's spans. */
    static final String INSTRUMENTATION_NAME = "io.taskq.opentelemetry";

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private TaskqTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /**
     * Tracing with the tracer and the text map propagator of {@code openTelemetry} (for W3C trace context, an SDK
     * configured with {@code W3CTraceContextPropagator}; the autoconfigured SDK and the Java agent have it by
     * default).
     */
    public static TaskqTracing create(OpenTelemetry openTelemetry) {
        return new TaskqTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /** The interceptor for {@link io.taskq.Taskq.Builder#submitInterceptor}: producer spans, context into headers. */
    public SubmitInterceptor submitInterceptor() {
        return new ProducerSpans(tracer, propagator);
    }

    /** The interceptor for {@link io.taskq.Taskq.Builder#interceptor}: a consumer span per attempt, ids in the MDC. */
    public TaskInterceptor taskInterceptor() {
        return new ConsumerSpans(tracer, propagator);
    }
}
