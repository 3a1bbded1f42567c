package io.taskq.opentelemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;

/** Reads a propagated context from a task's custom headers ({@link io.taskq.TaskContext#headers()}). */
enum HeaderCarrier implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, String> headers) {
        return headers.keySet();
    }

    @Override
    public String get(Map<String, String> headers, String key) {
        return headers == null ? null : headers.get(key);
    }
}
