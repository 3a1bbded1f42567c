package io.taskq.scheduler;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Fires at {@code anchor + k * every}, k &ge; 0; see {@link Schedule#every(Duration, Instant)}. */
record IntervalSchedule(Duration every, Instant anchor) implements Schedule {

    IntervalSchedule {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(anchor, "anchor");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + every);
        }
    }

    @Override
    public Optional<Instant> nextFireAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        if (after.isBefore(anchor)) {
            return Optional.of(anchor);
        }
        try {
            // Division on Durations, not epoch millis: exact for any period and span, no rounding drift.
            long elapsedPeriods = Duration.between(anchor, after).dividedBy(every);
            return Optional.of(anchor.plus(every.multipliedBy(elapsedPeriods + 1)));
        } catch (ArithmeticException | DateTimeException e) {
            // The next fire would be beyond Instant.MAX.
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        String text = "every " + human(every);
        return anchor.equals(Instant.EPOCH) ? text : text + " from " + anchor;
    }

    @Override
    public ScheduleSpec toSpec() {
        return new ScheduleSpec(SpecReader.INTERVAL, null, null, every.toString(), anchor.toString(),
                null, null, null, null);
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String human(Duration d) {
        StringBuilder text = new StringBuilder();
        append(text, d.toDays(), "d");
        append(text, d.toHoursPart(), "h");
        append(text, d.toMinutesPart(), "m");
        append(text, d.toSecondsPart(), "s");
        append(text, d.toMillisPart(), "ms");
        append(text, d.toNanosPart() % 1_000_000, "ns");
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(text.length() == 0 ? "" : " ").append(amount).append(unit);
        }
    }
}
