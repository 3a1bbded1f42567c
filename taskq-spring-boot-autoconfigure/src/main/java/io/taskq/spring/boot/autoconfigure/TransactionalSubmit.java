package io.taskq.spring.boot.autoconfigure;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The scoped opt-out of transaction-aware submission: tasks submitted inside {@link #immediately} go to the broker
 * at once even inside a Spring transaction (and stay submitted if it rolls back).
 *
 * <pre>{@code
 * TaskHandle<Void> h = TransactionalSubmit.immediately(() -> taskq.submit(AuditTasks::record, event));
 * }</pre>
 *
 * The opt-out holds for the current thread for the duration of the call; calls nest.
 */
public final class TransactionalSubmit {
    private static final ThreadLocal<Integer> IMMEDIATE = ThreadLocal.withInitial(() -> 0);

    private TransactionalSubmit() {
    }

    /** Runs {@code action}, submitting at once whatever it submits; returns its result. */
    public static <T> T immediately(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        IMMEDIATE.set(IMMEDIATE.get() + 1);
        try {
            return action.get();
        } finally {
            int depth = IMMEDIATE.get() - 1;
            if (depth == 0) {
                IMMEDIATE.remove();
            } else {
                IMMEDIATE.set(depth);
            }
        }
    }

    /** Runs {@code action}, submitting at once whatever it submits. */
    public static void immediately(Runnable action) {
        Objects.requireNonNull(action, "action");
        immediately(() -> {
            action.run();
            return null;
        });
    }

    static boolean isImmediate() {
        return IMMEDIATE.get() > 0;
    }
}
