package io.taskq.internal.worker;

import io.taskq.internal.Envelope;
import java.time.Instant;

/** What the events of one attempt need to remember: when it started, and what its message said. */
final class AttemptTrace {
    /** System.nanoTime() at the start; 0 until then. */
    volatile long startedNanos;
    /** The clock's time at the start; null until then. */
    volatile Instant startedAt;
    /** The message, read at the start; null until then. */
    volatile Envelope envelope;

    boolean started() {
        return startedNanos != 0;
    }
}
