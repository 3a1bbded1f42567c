package io.taskq.scheduler.internal;

import io.taskq.scheduler.SchedulerListener;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The application's {@link SchedulerListener}s, called so that one that throws cannot stop the scheduler. */
final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<SchedulerListener> listeners;

    Listeners(List<SchedulerListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Calls every listener; one that throws is logged and skipped, the scheduler goes on. */
    void tell(Consumer<SchedulerListener> event) {
        for (SchedulerListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.warn("scheduler listener {} failed", l, e);
            }
        }
    }
}
