package io.taskq.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests move by hand; starts at the real current time so that brokers' real TTLs stay sane. */
public final class MutableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();
    /** The real time the clock stopped at, or 0 while it runs (see {@link #stop()}). */
    private volatile long stoppedAt;

    /** Stops the clock where it is: from now on only {@link #advance} moves it (exact times for claim tests). */
    public void stop() {
        stoppedAt = System.currentTimeMillis();
    }

    /** Moves the clock forward. */
    public void advance(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        long base = stoppedAt;
        return Instant.ofEpochMilli((base != 0 ? base : System.currentTimeMillis()) + offsetMillis.get());
    }
}
