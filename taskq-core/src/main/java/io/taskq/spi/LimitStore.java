package io.taskq.spi;

import io.taskq.RateLimit;
import java.util.Map;

/**
 * Run-time changes of the limits that tasks are declared with ({@code @Task(rateLimit, concurrencyLimit)}, a queue's
 * rate limit, a request's own): a broker capability, reached through {@link Broker#limitStore()}, which
 * {@code Taskq.limits()} wraps. A change applies to the tasks already queued as well as to later ones, from their
 * next claim on; it names the limit ({@code task:<name>} or {@code queue:<name>}) and so changes every key of a
 * per-key limit. A task declared without a limit gets none from a change. See docs/limits.md.
 */
public interface LimitStore {

    /** A limit's run-time values: a rate instead of the declared one (or null), a maximum (or 0 for the declared). */
    record Setting(RateLimit rate, int maxRunning) {
        /** Validates the fields. */
        public Setting {
            if (maxRunning < 0) {
                throw new IllegalArgumentException("maxRunning must not be negative");
            }
        }
    }

    /** Sets the rate of the limit {@code name}, instead of the declared one, for every queue. */
    void setRate(String name, RateLimit rate);

    /** Sets the most running tasks of the concurrency limit {@code name}, instead of the declared one. */
    void setConcurrency(String name, int maxRunning);

    /** Drops the run-time values of {@code name}: the declared ones apply again. */
    void clear(String name);

    /** The run-time values in force, by limit name. */
    Map<String, Setting> overrides();
}
