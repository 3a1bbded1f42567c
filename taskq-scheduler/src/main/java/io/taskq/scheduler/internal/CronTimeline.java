package io.taskq.scheduler.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * Maps a {@link CronExpression}'s wall-clock matches to instants in a zone, under the DST rules in
 * {@code docs/scheduling.md} ("Time zones and daylight saving time"):
 *
 * <ul>
 *   <li>Schedules that name hours (hour field is not {@code *} or {@code *}/n): a local time skipped
 *       by a forward transition fires once, at the transition instant (the first valid instant after
 *       the gap); a local time that occurs twice fires once, at its first occurrence.</li>
 *   <li>Schedules whose hour field is {@code *} or {@code *}/n follow real time: times inside a gap
 *       do not exist and do not fire; times in an overlap fire at both occurrences, so an hourly job
 *       keeps firing every real hour (the skip in celery #10107 does not happen).</li>
 * </ul>
 *
 * <p>The timeline is walked segment by segment between offset transitions. Inside a segment the
 * offset is constant, so local time is a monotonic function of the instant and the first local
 * match is the first instant. That avoids scanning candidates in local order and re-sorting them,
 * which is where the celery and cron-utils DST bugs come from.
 */
public final class CronTimeline {

    private CronTimeline() {
    }

    /** The first fire strictly after {@code after}, or empty when none within the search horizon. */
    public static Optional<Instant> nextFireAfter(CronExpression cron, ZoneId zone, Instant after) {
        try {
            return Optional.ofNullable(search(cron, zone, after));
        } catch (DateTimeException | ArithmeticException e) {
            // Only reachable near Instant.MIN/MAX, where local date-times overflow; no fire exists there
            // that a scheduler could wait for.
            return Optional.empty();
        }
    }

    private static Instant search(CronExpression cron, ZoneId zone, Instant after) {
        ZoneRules rules = zone.getRules();
        boolean realTime = cron.repeatsHourly();
        // Cron fires on whole seconds, so the first candidate is the next whole second after 'after'.
        Instant segmentStart = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        ZoneOffsetTransition entered = rules.previousTransition(segmentStart.plusNanos(1));
        LocalDateTime horizon = LocalDateTime.ofInstant(segmentStart, zone)
                .plusYears(CronExpression.SEARCH_HORIZON_YEARS);
        if (!realTime && entered != null && entered.getInstant().equals(segmentStart) && firesInGap(cron, entered)) {
            // The search starts exactly at a gap's end, which is itself the fire for the skipped times.
            return segmentStart;
        }

        while (true) {
            ZoneOffset offset = rules.getOffset(segmentStart);
            LocalDateTime from = LocalDateTime.ofEpochSecond(segmentStart.getEpochSecond(), 0, offset);
            if (!realTime && entered != null && entered.isOverlap()
                    && from.isBefore(entered.getDateTimeBefore())) {
                // Second pass over repeated wall-clock times: named times already fired the first time.
                from = entered.getDateTimeBefore();
            }
            ZoneOffsetTransition next = rules.nextTransition(segmentStart);
            boolean lastSegment = next == null || next.getDateTimeBefore().isAfter(horizon);
            LocalDateTime segmentEnd = lastSegment ? horizon : next.getDateTimeBefore();

            if (from.isBefore(segmentEnd)) {
                LocalDateTime match = cron.nextMatch(from, segmentEnd);
                if (match != null) {
                    return match.toInstant(offset);
                }
            }
            if (lastSegment) {
                return null;
            }
            if (!realTime && firesInGap(cron, next)) {
                // A named time that does not exist today fires at the first instant after the gap.
                return next.getInstant();
            }
            segmentStart = next.getInstant();
            entered = next;
        }
    }

    private static boolean firesInGap(CronExpression cron, ZoneOffsetTransition transition) {
        return transition.isGap()
                && cron.nextMatch(transition.getDateTimeBefore(), transition.getDateTimeAfter()) != null;
    }
}
