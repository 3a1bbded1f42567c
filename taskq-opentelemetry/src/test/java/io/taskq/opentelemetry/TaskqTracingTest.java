package io.taskq.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.DuplicateTaskException;
import io.taskq.Signature;
import io.taskq.TaskHandle;
import io.taskq.TaskInterceptor;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Traces through an in-memory taskq into the SDK's in-memory exporter: producer span at submit, a consumer span per
 * attempt under it, child tasks under their parent's attempt, ids in the MDC during the attempt only.
 */
class TaskqTracingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final TracedTasks tasks = new TracedTasks();
    private OpenTelemetrySdk otel;
    private Taskq taskq;

    @BeforeEach
    void setUp() {
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @AfterEach
    void tearDown() {
        if (taskq != null) {
            taskq.close();
        }
        otel.close();
    }

    /** A taskq traced on both sides, with the extra interceptors outside the tracing one. */
    private Taskq start(boolean traceSubmits, TaskInterceptor... outer) {
        TaskqTracing tracing = TaskqTracing.create(otel);
        Taskq.Builder b = Taskq.builder().tasks(tasks);
        if (traceSubmits) {
            b.submitInterceptor(tracing.submitInterceptor());
        }
        for (TaskInterceptor i : outer) {
            b.interceptor(i);
        }
        taskq = b.interceptor(tracing.taskInterceptor()).build();
        tasks.taskq = taskq;
        taskq.startWorker(WorkerOptions.builder().concurrency(2).claimWait(Duration.ofMillis(100)).build());
        return taskq;
    }

    /** Waits until {@code count} spans have ended, and returns them in start order. */
    private List<SpanData> spans(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (exporter.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) {
            sleep();
        }
        List<SpanData> spans = exporter.getFinishedSpanItems().stream()
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        assertEquals(count, spans.size(), () -> "spans: " + spans);
        return spans;
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static SpanData named(List<SpanData> spans, String name) {
        List<SpanData> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, found.size(), () -> name + " in " + spans);
        return found.get(0);
    }

    private static void assertChild(SpanData parent, SpanData child) {
        assertEquals(parent.getTraceId(), child.getTraceId(), child.getName() + " in the trace of " + parent.getName());
        assertEquals(parent.getSpanId(), child.getParentSpanId(), child.getName() + " a child of " + parent.getName());
    }

    @Test
    @SuppressWarnings("try") // the scope is only closed
    void aSubmitInsideASpanMakesAProducerSpanAndTheAttemptAConsumerSpanUnderIt() {
        start(true);
        Span request = otel.getTracer("test").spanBuilder("request").startSpan();
        TaskHandle<String> h;
        try (Scope ignored = request.makeCurrent()) {
            h = taskq.submit(TracedTasks::ok, "x");
        } finally {
            request.end();
        }
        assertEquals("ok x", h.get(WAIT));
        List<SpanData> spans = spans(3);
        SpanData producer = named(spans, "t.ok publish");
        SpanData consumer = named(spans, "t.ok process");
        assertChild(named(spans, "request"), producer);
        assertChild(producer, consumer);

        assertEquals(SpanKind.PRODUCER, producer.getKind());
        assertEquals("taskq", producer.getAttributes().get(AttributeKey.stringKey("messaging.system")));
        assertEquals("publish", producer.getAttributes().get(AttributeKey.stringKey("messaging.operation")));
        assertEquals("default", producer.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals(h.id(), producer.getAttributes().get(AttributeKey.stringKey("messaging.message.id")));
        assertEquals("t.ok", producer.getAttributes().get(AttributeKey.stringKey("taskq.task.name")));

        assertEquals(SpanKind.CONSUMER, consumer.getKind());
        assertEquals("process", consumer.getAttributes().get(AttributeKey.stringKey("messaging.operation")));
        assertEquals("default", consumer.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals(h.id(), consumer.getAttributes().get(AttributeKey.stringKey("messaging.message.id")));
        assertEquals(1L, consumer.getAttributes().get(AttributeKey.longKey("taskq.attempt")));
        assertEquals(0L, consumer.getAttributes().get(AttributeKey.longKey("taskq.retries")));
        assertEquals(h.id(), consumer.getAttributes().get(AttributeKey.stringKey("taskq.root_id")));
        assertEquals(StatusCode.UNSET, consumer.getStatus().getStatusCode());
    }

    @Test
    void theAttemptsOfARetriedTaskAreSiblingsInOneTraceTheFailedOneMarked() {
        start(true);
        assertEquals("second attempt", taskq.submit(TracedTasks::flaky).get(WAIT));
        List<SpanData> spans = spans(3);
        SpanData producer = named(spans, "t.flaky publish");
        assertFalse(producer.getParentSpanContext().isValid(), "no span was current at submit: a root");
        List<SpanData> attempts = spans.stream().filter(s -> s.getName().equals("t.flaky process")).toList();
        assertEquals(2, attempts.size());
        for (SpanData attempt : attempts) {
            assertChild(producer, attempt);
        }
        SpanData failed = attempts.get(0);
        assertEquals(1L, failed.getAttributes().get(AttributeKey.longKey("taskq.attempt")));
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
        List<EventData> events = failed.getEvents();
        assertEquals(1, events.size());
        assertEquals("exception", events.get(0).getName());
        assertEquals("first attempt fails",
                events.get(0).getAttributes().get(AttributeKey.stringKey("exception.message")));
        SpanData succeeded = attempts.get(1);
        assertEquals(2L, succeeded.getAttributes().get(AttributeKey.longKey("taskq.attempt")));
        assertEquals(1L, succeeded.getAttributes().get(AttributeKey.longKey("taskq.retries")));
        assertEquals(StatusCode.UNSET, succeeded.getStatus().getStatusCode());
    }

    @Test
    void aTaskSubmittedFromATaskIsAChildOfItsAttempt() {
        start(true);
        String childId = taskq.submit(TracedTasks::parent, "c").get(WAIT);
        assertEquals("ok c", taskq.handle(childId, String.class).get(WAIT));
        List<SpanData> spans = spans(4);
        SpanData parentProducer = named(spans, "t.parent publish");
        SpanData parentConsumer = named(spans, "t.parent process");
        SpanData childProducer = named(spans, "t.ok publish");
        SpanData childConsumer = named(spans, "t.ok process");
        assertChild(parentProducer, parentConsumer);
        assertChild(parentConsumer, childProducer);
        assertChild(childProducer, childConsumer);
        assertEquals(childId, childConsumer.getAttributes().get(AttributeKey.stringKey("messaging.message.id")));
    }

    @Test
    void theStepsOfAChainAreInItsSubmittersTrace() {
        start(true);
        ChainHandle<String> h = taskq.submit(Chain.of(TaskRequest.of(TracedTasks::ok, "a"))
                .then(Signature.of(TracedTasks::ok)).then(Signature.of(TracedTasks::ok)));
        assertEquals("ok ok ok a", h.get(WAIT));
        List<SpanData> spans = spans(4);
        SpanData producer = named(spans, "t.ok publish");
        List<SpanData> consumers = spans.stream().filter(s -> s.getName().equals("t.ok process")).toList();
        assertEquals(3, consumers.size(), () -> "three steps in " + spans);
        for (SpanData c : consumers) {
            assertChild(producer, c);
        }
    }

    @Test
    void theMdcHoldsTheAttemptsIdsDuringTheAttemptOnly() {
        Queue<String> afterward = new ConcurrentLinkedQueue<>();
        start(true, (context, next) -> {
            try {
                return next.proceed();
            } finally {
                afterward.add(String.valueOf(MDC.get(TaskqTracing.MDC_TRACE_ID)) + "/"
                        + MDC.get(TaskqTracing.MDC_SPAN_ID));
            }
        });
        taskq.submit(TracedTasks::ok, "m").get(WAIT);
        SpanData consumer = named(spans(2), "t.ok process");
        TracedTasks.Seen seen = tasks.seen.element();
        assertEquals(consumer.getTraceId(), seen.mdcTraceId());
        assertEquals(consumer.getSpanId(), seen.mdcSpanId());
        assertEquals(consumer.getSpanId(), seen.spanId(), "the attempt's span is current in the task");
        assertEquals(List.of("null/null"), List.copyOf(afterward));
    }

    @Test
    void withoutTheSubmitInterceptorNoHeaderIsAddedAndEachAttemptStartsATrace() {
        start(false);
        assertEquals(Map.of(), taskq.submit(TracedTasks::headers).get(WAIT));
        SpanData consumer = named(spans(1), "t.headers process");
        assertFalse(consumer.getParentSpanContext().isValid(), "a root span");
        assertNull(MDC.get(TaskqTracing.MDC_TRACE_ID));
    }

    @Test
    void aBatchHasAProducerSpanPerTaskAndOnlyTheRefusedDuplicateIsMarkedFailed() {
        start(true);
        taskq.submit(TaskRequest.of(TracedTasks::ok, "first").id("dup")).get(WAIT);
        List<TaskRequest<?>> batch = List.of(TaskRequest.of(TracedTasks::ok, "again").id("dup").failIfDuplicate(),
                TaskRequest.of(TracedTasks::ok, "fresh").id("fresh"));
        assertThrows(DuplicateTaskException.class, () -> taskq.submitAll(batch));
        assertEquals("ok fresh", taskq.handle("fresh", String.class).get(WAIT));
        List<SpanData> producers = spans(5).stream().filter(s -> s.getKind() == SpanKind.PRODUCER).toList();
        assertEquals(3, producers.size());
        SpanData refused = producers.get(1);
        SpanData fresh = producers.get(2);
        assertEquals("dup", refused.getAttributes().get(AttributeKey.stringKey("messaging.message.id")));
        assertEquals(StatusCode.ERROR, refused.getStatus().getStatusCode());
        assertEquals("fresh", fresh.getAttributes().get(AttributeKey.stringKey("messaging.message.id")));
        assertEquals(StatusCode.UNSET, fresh.getStatus().getStatusCode());
        assertFalse(fresh.getParentSpanContext().isValid(), "siblings, not nested");
    }

    /** Tasks of the wiring example (docs/tracing.md). */
    public static final class EmailTasks {
        /** Sends nothing. */
        @io.taskq.Task(name = "email.send")
        public String send(String to) {
            return "sent to " + to;
        }
    }

    /** docs/tracing.md: the wiring. */
    static Taskq wire(OpenTelemetry openTelemetry) {
        TaskqTracing tracing = TaskqTracing.create(openTelemetry);
        Taskq taskq = Taskq.builder()
                .tasks(new EmailTasks())
                .submitInterceptor(tracing.submitInterceptor())
                .interceptor(tracing.taskInterceptor())
                .build();
        return taskq;
    }

    @Test
    void theDocsWiringTracesBothSides() {
        taskq = wire(otel);
        taskq.startWorker(WorkerOptions.builder().concurrency(1).claimWait(Duration.ofMillis(100)).build());
        assertEquals("sent to a", taskq.submit(EmailTasks::send, "a").get(WAIT));
        List<SpanData> spans = spans(2);
        assertChild(named(spans, "email.send publish"), named(spans, "email.send process"));
    }

    @Test
    void theTraceContextTravelsAsW3cHeaders() {
        start(true);
        Map<String, String> headers = taskq.submit(TracedTasks::headers).get(WAIT);
        SpanData producer = named(spans(2), "t.headers publish");
        assertEquals("00-" + producer.getTraceId() + "-" + producer.getSpanId() + "-"
                + producer.getSpanContext().getTraceFlags().asHex(), headers.get("traceparent"));
    }
}
