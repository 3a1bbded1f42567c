package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.spi.Broker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's Jackson configuration ({@code Taskq.Builder.objectMapper}, {@code jacksonModules}) carries a
 * custom type, {@link Money} as {@code "12.34 EUR"}, through the broker under test: as an argument and as a
 * result. Every broker module extends this class.
 */
public abstract class ObjectMapperContractTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Broker broker;
    private Taskq taskq;

    /** A new, empty broker (its own namespace); closed after each test. */
    protected abstract Broker newBroker(Clock clock);

    @BeforeEach
    void open() {
        broker = newBroker(Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (taskq != null) {
            taskq.close();
        }
        broker.close();
    }

    private Taskq start(UnaryOperator<Taskq.Builder> json) {
        taskq = json.apply(Taskq.builder().broker(broker).tasks(new MoneyTasks())).build();
        taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
        return taskq;
    }

    @Test
    void aSecondObjectMapperWithACustomModuleCarriesArgumentsAndResults() throws Exception {
        // A mapper of the application's own, not taskq's: no java.time settings, only the money module.
        JsonMapper mapper = JsonMapper.builder().addModule(Money.module()).build();
        Taskq t = start(b -> b.objectMapper(mapper));
        TaskHandle<Money> h = t.submit(MoneyTasks::total, Money.parse("12.34 EUR"),
                List.of(Money.parse("0.66 EUR"), Money.parse("7 EUR")));
        assertEquals(Money.parse("20.00 EUR"), h.get(WAIT));
        assertWireFormIsTheModules(t);
    }

    @Test
    void jacksonModulesAddToTaskqsOwnMapper() throws Exception {
        Taskq t = start(b -> b.jacksonModules(Money.module()));
        TaskHandle<Money> h = t.submit(MoneyTasks::total, Money.parse("1.50 CHF"), List.of());
        assertEquals(Money.parse("1.5 CHF"), h.get(WAIT));
        assertWireFormIsTheModules(t);
    }

    /**
     * The message holds what the module writes: arguments sent as plain text by name are read as money, and a result
     * read as plain JSON is the module's text.
     */
    private static void assertWireFormIsTheModules(Taskq t) throws Exception {
        TaskHandle<Object> byName = t.submit(TaskRequest.named("money.total", "12.34 EUR", List.of("0.01 EUR")));
        assertEquals("12.35 EUR", byName.get(WAIT));
        assertEquals(Money.parse("12.35 EUR"), t.handle(byName.queue(), byName.id(), Money.class).get(WAIT));
    }
}
