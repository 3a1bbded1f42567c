package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskq.TaskEvent;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A listener that throws is called every time, and logged once, not once per event. */
class GuardedListenerTest {

    @Test
    void aThrowingListenerIsLoggedOnceAMinuteAndNeverEscapes() {
        Logger logger = (Logger) LoggerFactory.getLogger(GuardedListener.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            AtomicInteger calls = new AtomicInteger();
            GuardedListener guarded = new GuardedListener(e -> {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            });
            TaskEvent event = TaskEvent.builder(TaskEvent.Kind.CLAIMED, "id-1", "q", Instant.now()).taskName("t")
                    .worker("w", 1).build();
            for (int i = 0; i < 100; i++) {
                guarded.onEvent(event);
            }
            assertEquals(100, calls.get());
            assertEquals(1, logs.list.size(), "the first failure is logged, the next ones wait a minute");
            ILoggingEvent first = logs.list.get(0);
            assertEquals(Level.WARN, first.getLevel());
            assertTrue(first.getFormattedMessage().contains("CLAIMED of task id-1"), first.getFormattedMessage());
        } finally {
            logger.detachAppender(logs);
        }
    }
}
