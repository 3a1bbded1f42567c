package io.taskq.contract;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, instead of sleeping a guessed time. */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** Polls until {@code supplier} gives a non-null value and returns it. */
    public static <T> T value(Duration timeout, String what, Supplier<T> supplier) {
        Object[] box = new Object[1];
        until(timeout, what, () -> (box[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
