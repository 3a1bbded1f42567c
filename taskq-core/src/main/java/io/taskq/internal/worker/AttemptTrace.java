package io.taskq.internal.worker;

/** What the events of one attempt need to remember: when it was claimed and started, and what its message said. */
final class AttemptTrace {
    /** System.nanoTime() when the worker took the claimed task in. */
    final long claimedNanos = System.nanoTime();
    /** System.nanoTime() at the start; 0 until then. */
    volatile long startedNanos;
    /** Read from the message at the start; null until then. */
    volatile Integer retries;
    /** Read from the message at the start; null until then. */
    volatile String taskName;

    boolean started() {
        return startedNanos != 0;
    }
}
