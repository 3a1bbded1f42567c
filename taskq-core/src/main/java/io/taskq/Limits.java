package io.taskq;

import io.taskq.spi.LimitStore;
import java.util.Map;
import java.util.Objects;

/**
 * Run-time changes of the limits tasks are declared with, for every worker sharing the broker, from their next
 * claim on ({@link Taskq#limits()}; docs/limits.md). A limit is named {@code task:<task name>} (its rate and
 * concurrency limits, every key of a per-key limit) or {@code queue:<queue>}: {@link #task} and {@link #queue} make
 * the names. A change adjusts a declared limit; a task declared without one gets none.
 *
 * <pre>{@code
 * taskq.limits().setRate(Limits.task("mail.send"), RateLimit.parse("20/s"));
 * taskq.limits().clear(Limits.task("mail.send"));          // back to @Task(rateLimit)
 * }</pre>
 */
public final class Limits {
    private final LimitStore store;

    Limits(LimitStore store) {
        this.store = store;
    }

    /** The name of a task's limits. */
    public static String task(String taskName) {
        return LimitPlanner.taskLimit(taskName);
    }

    /** The name of a queue's rate limit ({@link Taskq.Builder#queueRateLimit}). */
    public static String queue(String queue) {
        return LimitPlanner.queueLimit(queue);
    }

    /** Sets the rate of limit {@code name} instead of the declared one. */
    public void setRate(String name, RateLimit rate) {
        store().setRate(check(name), Objects.requireNonNull(rate, "rate"));
    }

    /** Sets the most running tasks of limit {@code name} instead of the declared number. */
    public void setConcurrency(String name, int maxRunning) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning must be at least 1");
        }
        store().setConcurrency(check(name), maxRunning);
    }

    /** Drops the run-time values of limit {@code name}: its declared ones apply again. */
    public void clear(String name) {
        store().clear(check(name));
    }

    /** The run-time values in force, by limit name. */
    public Map<String, LimitStore.Setting> overrides() {
        return store().overrides();
    }

    private LimitStore store() {
        if (store == null) {
            throw new UnsupportedOperationException("the broker enforces no limits");
        }
        return store;
    }

    private static String check(String name) {
        if (!(name.startsWith("task:") || name.startsWith("queue:")) || name.length() > 200) {
            throw new IllegalArgumentException("a limit name is task:<name> or queue:<name>, was '" + name + "'");
        }
        return name;
    }
}
