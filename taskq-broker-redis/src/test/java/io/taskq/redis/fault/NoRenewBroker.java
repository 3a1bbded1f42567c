package io.taskq.redis.fault;

import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.RenewResult;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A broker whose lease renewals never reach Redis: a worker paused past its lease, without the pause. */
final class NoRenewBroker implements Broker {
    private final Broker delegate;

    NoRenewBroker(Broker delegate) {
        this.delegate = delegate;
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        return RenewResult.none();
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
    public List<Boolean> finish(List<Outcome> outcomes) {
        return delegate.finish(outcomes);
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
    public Optional<TaskRecord> record(String queue, String id) {
        return delegate.record(queue, id);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        return delegate.deadLetters(queue, limit);
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        return delegate.deadLetter(queue, id);
    }

    @Override
    public boolean resubmitDeadLetter(String queue, String id, String newBody) {
        return delegate.resubmitDeadLetter(queue, id, newBody);
    }

    @Override
    public long purgeDeadLetters(String queue) {
        return delegate.purgeDeadLetters(queue);
    }

    @Override
    public QueueStats stats(String queue) {
        return delegate.stats(queue);
    }

    @Override
    public void close() {
        // the delegate belongs to the test
    }
}
