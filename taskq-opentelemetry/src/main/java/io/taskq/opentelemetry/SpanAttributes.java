package io.taskq.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The attribute keys of taskq's spans: the few of OpenTelemetry's messaging semantic conventions that apply, written
 * out here rather than taken from the incubating semconv artifact, whose keys may still change; then taskq's own.
 */
final class SpanAttributes {
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation");
    static final AttributeKey<String> TASK_NAME = AttributeKey.stringKey("taskq.task.name");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("taskq.attempt");
    static final AttributeKey<Long> RETRIES = AttributeKey.longKey("taskq.retries");
    static final AttributeKey<String> ROOT_ID = AttributeKey.stringKey("taskq.root_id");

    static final String SYSTEM = "taskq";

    private SpanAttributes() {
    }

    /** Sets what every taskq span says: the system, the operation and the task. */
    static SpanBuilder common(SpanBuilder span, String operation, String taskName) {
        return span.setAttribute(MESSAGING_SYSTEM, SYSTEM).setAttribute(MESSAGING_OPERATION, operation)
                .setAttribute(TASK_NAME, taskName);
    }

    /** Marks the span failed by {@code error}. */
    static void failed(Span span, Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.getClass().getName());
    }
}
