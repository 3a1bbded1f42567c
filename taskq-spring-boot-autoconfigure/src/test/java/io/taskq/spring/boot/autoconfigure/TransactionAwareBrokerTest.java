package io.taskq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskq.spi.Broker;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transaction-aware wrapper forwards every broker operation, including ones the SPI gains later. */
class TransactionAwareBrokerTest {

    @Test
    void everyBrokerMethodIsForwardedNotLeftToAnInterfaceDefault() {
        List<String> missing = new ArrayList<>();
        for (Method m : Broker.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                Method own = TransactionAwareBroker.class.getMethod(m.getName(), m.getParameterTypes());
                if (own.getDeclaringClass() != TransactionAwareBroker.class) {
                    missing.add(m.toGenericString());
                }
            } catch (NoSuchMethodException e) {
                missing.add(m.toGenericString());
            }
        }
        assertThat(missing).as("Broker methods TransactionAwareBroker must forward to its delegate").isEmpty();
    }
}
