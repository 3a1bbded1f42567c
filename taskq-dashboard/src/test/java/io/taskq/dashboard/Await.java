package io.taskq.dashboard;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (never a sleep to synchronize): the dashboard tests' one wait. */
final class Await {
    private Await() {
    }

    /** Checks {@code condition} every 20 ms until it holds; fails naming {@code what} after 30 s. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
