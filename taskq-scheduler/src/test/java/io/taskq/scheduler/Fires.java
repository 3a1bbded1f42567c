package io.taskq.scheduler;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test helpers: parse instants, chain nextFireAfter. */
final class Fires {

    private Fires() {
    }

    /** An instant from an offset date-time such as {@code 2024-11-03T01:00-05:00}. */
    static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    /** The next {@code n} fires after {@code after}. */
    static List<Instant> next(Schedule schedule, Instant after, int n) {
        List<Instant> fires = new ArrayList<>();
        Instant cursor = after;
        for (int i = 0; i < n; i++) {
            Optional<Instant> next = schedule.nextFireAfter(cursor);
            if (next.isEmpty()) {
                break;
            }
            cursor = next.get();
            fires.add(cursor);
        }
        return fires;
    }

    /** All fires in {@code [from, to)}. */
    static List<Instant> between(Schedule schedule, Instant from, Instant to) {
        List<Instant> fires = new ArrayList<>();
        Instant cursor = from.minusNanos(1);
        while (true) {
            Optional<Instant> next = schedule.nextFireAfter(cursor);
            if (next.isEmpty() || !next.get().isBefore(to)) {
                return fires;
            }
            cursor = next.get();
            fires.add(cursor);
        }
    }

    /** Fires rendered as offset date-times in {@code zone}, e.g. {@code 2024-11-03T01:00-04:00}. */
    static List<String> local(List<Instant> fires, ZoneId zone) {
        return fires.stream().map(i -> i.atZone(zone).toOffsetDateTime().toString()).toList();
    }
}
