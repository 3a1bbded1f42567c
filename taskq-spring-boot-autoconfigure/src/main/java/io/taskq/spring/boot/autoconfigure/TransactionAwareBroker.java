package io.taskq.spring.boot.autoconfigure;

import io.taskq.spi.Broker;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.TaskMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 *
 * <p>Only {@link #enqueue} follows the transaction: the queue administration ({@link #queueAdmin()}, the wrapped
 * broker's) and the follow-ups a worker's finish enqueues ({@code Outcome.followUps}) go straight to the wrapped
 * broker, as they do not run in the application's transactions.
 */
public final class TransactionAwareBroker extends ForwardingBroker {
    private static final Logger log = LoggerFactory.getLogger(TransactionAwareBroker.class);

    /** Wraps {@code delegate}. */
    public TransactionAwareBroker(Broker delegate) {
        super(delegate);
    }

    /** The wrapped broker. */
    @Override
    public Broker delegate() {
        return super.delegate();
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
            return delegate().enqueue(messages);
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
                owner.delegate().enqueue(batch);
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

    /** Does nothing: the wrapped broker is a bean of its own, closed by its owner. */
    @Override
    public void close() {
    }
}
