package io.taskq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskq.spi.ForwardingBroker;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The transaction-aware wrapper forwards every broker operation (through {@link ForwardingBroker}, whose own test
 * covers every SPI method) and changes only enqueue, and close (the wrapped broker is a bean of its own).
 */
class TransactionAwareBrokerTest {

    @Test
    void onlyEnqueueAndCloseDifferFromPlainForwarding() {
        assertThat(ForwardingBroker.class).isAssignableFrom(TransactionAwareBroker.class);
        assertThat(Arrays.stream(TransactionAwareBroker.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && java.lang.reflect.Modifier.isPublic(m.getModifiers()))
                .map(Method::getName).sorted().toList())
                .containsExactly("close", "delegate", "enqueue");
    }
}
