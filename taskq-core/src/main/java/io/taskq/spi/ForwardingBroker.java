package io.taskq.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Broker} that passes every call to another one: extend it and override the calls you change (a
 * transaction-aware enqueue, a test's broker that drops renewals). Every method of the SPI is forwarded, its default
 * methods included, so a wrapper never falls back to an interface default where the wrapped broker has a real
 * implementation; {@code ForwardingBrokerTest} keeps that true as the SPI grows.
 */
public abstract class ForwardingBroker implements Broker {
    private final Broker delegate;

    /**
     * @param delegate the broker that does the work
     */
    protected ForwardingBroker(Broker delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped broker. */
    protected Broker delegate() {
        return delegate;
    }

    @Override
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        return delegate.enqueue(messages);
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        return delegate.claim(request);
    }

    @Override
    public void markStarted(List<Delivery> deliveries, Instant at) {
        delegate.markStarted(deliveries, at);
    }

    @Override
    public boolean reportProgress(Delivery delivery, String progressJson, Instant at) {
        return delegate.reportProgress(delivery, progressJson, at);
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        return delegate.renew(consumerId, deliveries, lease);
    }

    @Override
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        return delegate.finishAndClaim(started, startedAt, outcomes, next);
    }

    @Override
    public void release(List<Delivery> deliveries) {
        delegate.release(deliveries);
    }

    @Override
    public RevokeResult revoke(String queue, String id, String reason) {
        return delegate.revoke(queue, id, reason);
    }

    @Override
    public java.util.Optional<String> chordRefusal() {
        return delegate.chordRefusal();
    }

    @Override
    public java.util.Optional<String> followUpRefusal(String fromQueue, String fromId, String toQueue, String toId) {
        return delegate.followUpRefusal(fromQueue, fromId, toQueue, toId);
    }

    @Override
    public Optional<String> limitsRefusal(String queue) {
        return delegate.limitsRefusal(queue);
    }

    @Override
    public Optional<String> uniqueHolder(String queue, String key) {
        return delegate.uniqueHolder(queue, key);
    }

    @Override
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        return delegate.locate(ids);
    }

    @Override
    public Map<String, TaskLocation> locate(String queue, Collection<String> ids) {
        return delegate.locate(queue, ids);
    }

    /** The wrapped broker's administration: admin calls bypass what a wrapper changes on the hot path. */
    @Override
    public Optional<QueueAdmin> queueAdmin() {
        return delegate.queueAdmin();
    }

    @Override
    public Optional<EventLog> eventLog() {
        return delegate.eventLog();
    }

    @Override
    public Optional<ResultBackend> resultBackend() {
        return delegate.resultBackend();
    }

    @Override
    public Optional<Leases> leases() {
        return delegate.leases();
    }

    @Override
    public Optional<LimitStore> limitStore() {
        return delegate.limitStore();
    }

    @Override
    public Optional<WorkerRegistry> workerRegistry() {
        return delegate.workerRegistry();
    }

    @Override
    public Optional<ControlBus> controlBus() {
        return delegate.controlBus();
    }

    @Override
    public boolean isTransient(RuntimeException failure) {
        return delegate.isTransient(failure);
    }

    /** Closes the wrapped broker; override to leave it open when its owner closes it. */
    @Override
    public void close() {
        delegate.close();
    }
}
