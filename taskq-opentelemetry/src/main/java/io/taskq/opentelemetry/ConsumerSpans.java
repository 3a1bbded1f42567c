package io.taskq.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.taskq.TaskContext;
import io.taskq.TaskInterceptor;
import org.slf4j.MDC;

/**
 * Runs each attempt in a consumer span whose parent is the context its submitter put into the task's headers, so
 * that the attempts of a task are siblings under its producer span; the span is current during the attempt (tasks
 * it submits are its children) and its ids are in the MDC.
 */
final class ConsumerSpans implements TaskInterceptor {
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    ConsumerSpans(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    @SuppressWarnings("try") // the scope is only closed
    public Object intercept(TaskContext task, Invocation next) throws Exception {
        Context parent = propagator.extract(Context.current(), task.headers(), HeaderCarrier.INSTANCE);
        Span span = SpanAttributes.common(tracer.spanBuilder(task.taskName() + " process"), "process",
                        task.taskName())
                .setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SpanAttributes.MESSAGING_DESTINATION, task.queue())
                .setAttribute(SpanAttributes.MESSAGING_MESSAGE_ID, task.taskId())
                .setAttribute(SpanAttributes.ATTEMPT, (long) task.attempt())
                .setAttribute(SpanAttributes.RETRIES, (long) task.retries())
                .setAttribute(SpanAttributes.ROOT_ID, task.rootId())
                .startSpan();
        SpanContext ids = span.getSpanContext();
        String outerTrace = MDC.get(TaskqTracing.MDC_TRACE_ID);
        String outerSpan = MDC.get(TaskqTracing.MDC_SPAN_ID);
        try (Scope ignored = parent.with(span).makeCurrent()) {
            if (ids.isValid()) {
                MDC.put(TaskqTracing.MDC_TRACE_ID, ids.getTraceId());
                MDC.put(TaskqTracing.MDC_SPAN_ID, ids.getSpanId());
            }
            return next.proceed();
        } catch (Exception | Error e) {
            SpanAttributes.failed(span, e);
            throw e;
        } finally {
            restore(TaskqTracing.MDC_TRACE_ID, outerTrace);
            restore(TaskqTracing.MDC_SPAN_ID, outerSpan);
            span.end();
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
