package io.taskq.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Broker method, defaults included, reaches the wrapped broker, also the ones the SPI gains later. */
class ForwardingBrokerTest {

    @Test
    void everyBrokerMethodIsForwarded() throws Exception {
        List<String> called = new ArrayList<>();
        Broker recorder = (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(), new Class<?>[] {Broker.class},
                (proxy, method, args) -> {
                    called.add(method.getName() + method.getParameterCount());
                    Class<?> r = method.getReturnType();
                    return r == boolean.class ? Boolean.FALSE : r == long.class ? 0L : null;
                });
        ForwardingBroker forwarding = new ForwardingBroker(recorder) {
        };
        List<String> missing = new ArrayList<>();
        for (Method m : Broker.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            if (ForwardingBroker.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass()
                    != ForwardingBroker.class) {
                missing.add(m.toGenericString());
                continue;
            }
            called.clear();
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                Class<?> p = m.getParameterTypes()[i];
                args[i] = p == int.class ? 0 : null;
            }
            m.invoke(forwarding, args);
            assertEquals(List.of(m.getName() + m.getParameterCount()), called, m.toGenericString());
        }
        assertTrue(missing.isEmpty(), "Broker methods ForwardingBroker leaves to an interface default: " + missing);
    }
}
