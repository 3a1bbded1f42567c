package io.taskq.spring.boot.autoconfigure;

import io.taskq.spi.Broker;

/**
 * Wraps the broker the auto-configured {@code Taskq} uses (the broker bean itself is left as it is). Beans of this
 * type apply in their {@code @Order}; the transaction-aware submit is one.
 */
@FunctionalInterface
public interface TaskqBrokerDecorator {
    /** The broker {@code Taskq} should use instead of {@code broker}. */
    Broker decorate(Broker broker);
}
