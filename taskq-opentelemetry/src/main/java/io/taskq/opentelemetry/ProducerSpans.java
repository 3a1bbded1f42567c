package io.taskq.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.taskq.DuplicateTaskException;
import io.taskq.SubmitException;
import io.taskq.SubmitInterceptor;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a producer span per submitted task, the child of the submitting thread's current context (inside a task,
 * its attempt's span), and passes the task on with that span's context injected into its headers. The task id and
 * queue are known once the submit returns, and are set then.
 */
final class ProducerSpans implements SubmitInterceptor {
    private static final Logger log = LoggerFactory.getLogger(ProducerSpans.class);

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    ProducerSpans(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    @SuppressWarnings("try") // the scope is only closed
    public List<TaskHandle<?>> intercept(List<? extends TaskRequest<?>> requests, Submit next) {
        Context parent = Context.current();
        List<Span> spans = new ArrayList<>(requests.size());
        List<TaskRequest<?>> traced = new ArrayList<>(requests.size());
        for (TaskRequest<?> r : requests) {
            Span span = SpanAttributes.common(tracer.spanBuilder(r.taskName() + " publish"), "publish", r.taskName())
                    .setParent(parent).setSpanKind(SpanKind.PRODUCER).startSpan();
            spans.add(span);
            traced.add(withContext(r, parent.with(span)));
        }
        // With one task, what the broker call does (a client's own spans) belongs to its producer span.
        try (Scope ignored = spans.size() == 1 ? parent.with(spans.get(0)).makeCurrent() : null) {
            List<TaskHandle<?>> handles = next.proceed(traced);
            identify(spans, handles);
            return handles;
        } catch (RuntimeException e) {
            failed(spans, e);
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private TaskRequest<?> withContext(TaskRequest<?> request, Context context) {
        Map<String, String> headers = new LinkedHashMap<>();
        propagator.inject(context, headers, Map::put);
        TaskRequest<?> r = request;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            try {
                r = r.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException reserved) {
                // A propagator whose field taskq reserves: the trace breaks here, the submit must not.
                log.warn("trace context field '{}' not carried: {}", h.getKey(), reserved.getMessage());
            }
        }
        return r;
    }

    private static void identify(List<Span> spans, List<TaskHandle<?>> handles) {
        if (handles == null || handles.size() != spans.size()) {
            return; // the submit chain itself fails such a call
        }
        for (int i = 0; i < spans.size(); i++) {
            spans.get(i).setAttribute(SpanAttributes.MESSAGING_MESSAGE_ID, handles.get(i).id())
                    .setAttribute(SpanAttributes.MESSAGING_DESTINATION, handles.get(i).queue());
        }
    }

    /**
     * Marks the spans of a failed submit: every one, unless the failure names the tasks it concerns (the duplicates
     * of a batch whose other tasks were sent).
     */
    private static void failed(List<Span> spans, RuntimeException e) {
        List<TaskHandle<?>> handles = e instanceof SubmitException se ? se.handles()
                : e instanceof DuplicateTaskException de ? de.handles() : null;
        Set<String> concerned = e instanceof DuplicateTaskException de ? Set.copyOf(de.ids()) : null;
        if (handles != null) {
            identify(spans, handles);
        }
        for (int i = 0; i < spans.size(); i++) {
            if (concerned == null || handles == null || i >= handles.size()
                    || concerned.contains(handles.get(i).id())) {
                SpanAttributes.failed(spans.get(i), e);
            }
        }
    }
}
