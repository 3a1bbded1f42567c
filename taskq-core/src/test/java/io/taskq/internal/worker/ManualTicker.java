package io.taskq.internal.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when the test moves it. */
final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public long read() {
        return nanos.get();
    }
}
