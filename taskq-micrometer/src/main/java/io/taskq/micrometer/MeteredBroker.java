package io.taskq.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.Outcome;
import io.taskq.spi.RenewResult;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A broker that counts the failures of every call of the hot path ({@link TaskqMeters#BROKER_ERRORS}, per
 * operation, exception class and whether the broker deems it transient) and passes everything else on unchanged.
 * Works over any broker (Redis, in memory, your own); made by {@link TaskqMetrics#wrap}. The failure is rethrown
 * as it was: the worker's and the submitter's retry and back-off see no difference.
 *
 * <p>Not counted: a claim interrupted by a stopping worker, and {@link UnsupportedOperationException} (a capability
 * the broker lacks, such as {@code locate}, is not a failure). The queue administration
 * ({@link #queueAdmin()}), the event log ({@link #eventLog()}) and the worker registry ({@link #workerRegistry()})
 * are passed on unwrapped; failed polls of the queue
 * counts have their own counter, events that cannot be published are counted by {@code Events.dropped()}.
 *
 * <p>The wrapped broker's other capabilities (result backend, leases, queue administration, event log) are passed
 * on, so {@code Taskq.builder().broker(metrics.wrap(broker))} needs nothing else.
 */
public final class MeteredBroker extends ForwardingBroker {

    /** The errors of one operation, by exception class and transience; one map per operation. */
    private record Failure(Class<?> type, boolean transientFailure) {
    }

    private final MeterRegistry registry;
    private final Map<String, Map<Failure, Counter>> errors = new ConcurrentHashMap<>();

    MeteredBroker(Broker delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
    }

    @Override
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        return counted("enqueue", () -> super.enqueue(messages));
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        try {
            return super.claim(request);
        } catch (RuntimeException e) {
            throw count("claim", e);
        }
    }

    @Override
    public void markStarted(List<Delivery> deliveries, Instant at) {
        counted("mark_started", () -> {
            super.markStarted(deliveries, at);
            return null;
        });
    }

    @Override
    public boolean reportProgress(Delivery delivery, String progressJson, Instant at) {
        return counted("report_progress", () -> super.reportProgress(delivery, progressJson, at));
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        return counted("renew", () -> super.renew(consumerId, deliveries, lease));
    }

    @Override
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        return counted("finish_and_claim", () -> super.finishAndClaim(started, startedAt, outcomes, next));
    }

    @Override
    public void release(List<Delivery> deliveries) {
        counted("release", () -> {
            super.release(deliveries);
            return null;
        });
    }

    @Override
    public RevokeResult revoke(String queue, String id, String reason) {
        return counted("revoke", () -> super.revoke(queue, id, reason));
    }

    @Override
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        return counted("locate", () -> super.locate(ids));
    }

    @Override
    public Map<String, TaskLocation> locate(String queue, Collection<String> ids) {
        return counted("locate", () -> super.locate(queue, ids));
    }

    @Override
    public Optional<String> uniqueHolder(String queue, String key) {
        return counted("uniqueHolder", () -> super.uniqueHolder(queue, key));
    }

    private <T> T counted(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw count(operation, e);
        }
    }

    private RuntimeException count(String operation, RuntimeException e) {
        if (!(e instanceof UnsupportedOperationException)) {
            Failure f = new Failure(e.getClass(), isTransient(e));
            errors.computeIfAbsent(operation, op -> new ConcurrentHashMap<>())
                    .computeIfAbsent(f, k -> register(operation, k)).increment();
        }
        return e;
    }

    private Counter register(String operation, Failure f) {
        return Counter.builder(TaskqMeters.BROKER_ERRORS).description("Broker calls that threw")
                .tag(TaskqMeters.OPERATION, operation).tag(TaskqMeters.EXCEPTION, TagValues.exception(f.type()))
                .tag(TaskqMeters.TRANSIENT, Boolean.toString(f.transientFailure())).register(registry);
    }
}
