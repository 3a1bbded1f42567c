package io.taskq.spring.boot.autoconfigure;

import io.taskq.DeadLetter;
import io.taskq.QueueStats;
import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Outcome;
import io.taskq.spi.RenewResult;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A broker that, inside an active Spring transaction, holds enqueued messages until the transaction commits and
 * drops them on rollback; outside transactions, or inside {@link TransactionalSubmit#immediately}, it enqueues at
 * once. Everything else goes straight to the wrapped broker.
 *
 * <p>Messages of one transaction are enqueued in one call after its commit, in submission order. The handle a
 * submit returns is valid at once (its id is chosen before enqueue); it reads UNKNOWN until the commit (and
 * after a rollback). A failure
 * to enqueue after the commit cannot undo the commit: it is logged at ERROR with each task's id and name.
 */
public final class TransactionAwareBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(TransactionAwareBroker.class);

    private final Broker delegate;

    /** Wraps {@code delegate}. */
    public TransactionAwareBroker(Broker delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped broker. */
    public Broker delegate() {
        return delegate;
    }

    /**
     * Enqueues at once, or, inside an active transaction, after it commits.
     *
     * @return the wrapped broker's answer when enqueued at once; all true when deferred (whether an id was
     *         already known is only learnt at the commit)
     */
    @Override
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        if (TransactionalSubmit.isImmediate() || !TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return delegate.enqueue(messages);
        }
        pending().messages.addAll(messages);
        return Collections.nCopies(messages.size(), true);
    }

    /** This transaction's pending messages, registered with it on first use. */
    private AfterCommit pending() {
        // Looked up among the current transaction's synchronizations rather than bound as a resource: a suspended
        // outer transaction's synchronizations are set aside with it, so REQUIRES_NEW gets a list of its own.
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof AfterCommit a && a.owner == this) {
                return a;
            }
        }
        AfterCommit a = new AfterCommit(this);
        TransactionSynchronizationManager.registerSynchronization(a);
        return a;
    }

    private static final class AfterCommit implements TransactionSynchronization {
        private final TransactionAwareBroker owner;
        private final List<TaskMessage> messages = new ArrayList<>();

        AfterCommit(TransactionAwareBroker owner) {
            this.owner = owner;
        }

        @Override
        public void afterCommit() {
            List<TaskMessage> batch = List.copyOf(messages);
            messages.clear();
            try {
                owner.delegate.enqueue(batch);
            } catch (RuntimeException e) {
                // The transaction is committed and cannot be undone; the caller has already returned. Name every
                // task so an operator can resubmit them.
                log.error("transaction committed but {} task(s) could not be submitted after the commit: {}",
                        batch.size(), describe(batch), e);
            }
        }

        @Override
        public void afterCompletion(int status) {
            if (status != STATUS_COMMITTED && !messages.isEmpty()) {
                log.debug("transaction rolled back: {} task(s) not submitted: {}", messages.size(),
                        describe(messages));
            }
            messages.clear();
        }

        private static String describe(List<TaskMessage> batch) {
            return batch.stream().map(m -> m.id() + " (" + m.task() + ")").collect(Collectors.joining(", "));
        }
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
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        return delegate.renew(consumerId, deliveries, lease);
    }

    @Override
    public List<Boolean> finish(List<Outcome> outcomes) {
        return delegate.finish(outcomes);
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
    public Optional<TaskRecord> record(String queue, String id) {
        return delegate.record(queue, id);
    }

    @Override
    public Map<String, TaskLocation> locate(Collection<String> ids) {
        return delegate.locate(ids);
    }

    @Override
    public Map<String, TaskLocation> locate(String queue, Collection<String> ids) {
        return delegate.locate(queue, ids);
    }

    @Override
    public Set<String> queues() {
        return delegate.queues();
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
    public boolean isTransient(RuntimeException failure) {
        return delegate.isTransient(failure);
    }

    /** Does nothing: the wrapped broker is a bean of its own, closed by its owner. */
    @Override
    public void close() {
    }
}
