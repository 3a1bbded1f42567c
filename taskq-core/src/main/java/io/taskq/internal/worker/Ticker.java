package io.taskq.internal.worker;

/**
 * The worker's source of elapsed time, in nanoseconds from an arbitrary origin (like {@link System#nanoTime()}):
 * deadlines, the age of held tasks, run times, the health of the fetch loop. Wall-clock times (records, ETAs,
 * expiry, backoff) come from the {@link java.time.Clock} instead. Tests pass a ticker they move by hand.
 */
@FunctionalInterface
interface Ticker {

    /** Nanoseconds since this ticker's fixed origin. */
    long read();

    /** The ticker that reads {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
