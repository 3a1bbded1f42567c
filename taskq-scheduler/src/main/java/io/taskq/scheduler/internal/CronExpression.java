package io.taskq.scheduler.internal;

import io.taskq.scheduler.internal.CronFieldParser.Field;
import io.taskq.scheduler.internal.CronFieldParser.Parsed;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.util.BitSet;
import java.util.Objects;

/**
 * A parsed cron expression reduced to one bit set per field, plus the wall-clock search over it.
 *
 * <p>{@link CronFieldParser} parses each field, so that error messages quote the expression as written. Next-fire
 * times are computed here on the bit sets, field by field, never minute by minute; cron-utils' {@code ExecutionTime}
 * drops a whole day when a fixed time falls into a spring-forward gap (see {@code CronUtilsKnownBugsTest}).
 *
 * <p>This class knows nothing about time zones; {@link CronTimeline} maps its local date-times to
 * instants under the DST rules.
 */
public final class CronExpression {

    /** 8 years separate some 29 February dates (2096 -> 2104); one more year is slack. */
    static final int SEARCH_HORIZON_YEARS = 9;

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    /** Offsets from the month's last day: 0 for {@code L}, n for {@code L-n}. */
    private final BitSet daysBeforeLast;
    private final BitSet months;
    /** 0 = Sunday .. 6 = Saturday. */
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;
    private final boolean repeatsHourly;

    private CronExpression(String expression, String[] fields) {
        this.expression = expression;
        this.seconds = CronFieldParser.parse(Field.SECOND, fields[0]).values();
        this.minutes = CronFieldParser.parse(Field.MINUTE, fields[1]).values();
        this.hours = CronFieldParser.parse(Field.HOUR, fields[2]).values();
        Parsed dom = CronFieldParser.parse(Field.DAY_OF_MONTH, fields[3]);
        this.daysOfMonth = dom.values();
        this.daysBeforeLast = dom.fromLast();
        this.months = CronFieldParser.parse(Field.MONTH, fields[4]).values();
        Parsed dow = CronFieldParser.parse(Field.DAY_OF_WEEK, fields[5]);
        BitSet days = dow.values();
        if (days.get(7)) {
            days.clear(7);
            days.set(0);
        }
        this.daysOfWeek = days;
        this.dayOfMonthRestricted = !dom.wildcard();
        this.dayOfWeekRestricted = !dow.wildcard();
        this.repeatsHourly = fields[2].equals("*") || fields[2].matches("\\*/[0-9]+");
    }

    /**
     * Parses a 5-field (minute hour day-of-month month day-of-week) or 6-field (leading seconds)
     * expression.
     *
     * @throws IllegalArgumentException naming the problem in the expression's own terms, also for expressions that
     *                                  can never fire
     */
    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression must not be blank");
        }
        String normalised = String.join(" ", expression.trim().split("\\s+"));
        if (normalised.startsWith("@")) {
            throw invalid(normalised, "macros such as @hourly are not supported: write the fields "
                    + "(@hourly is 0 * * * *, @daily 0 0 * * *)");
        }
        String[] fields = normalised.split(" ");
        String[] sixFields;
        if (fields.length == 5) {
            sixFields = new String[6];
            sixFields[0] = "0";
            System.arraycopy(fields, 0, sixFields, 1, 5);
        } else if (fields.length == 6) {
            sixFields = fields;
        } else {
            throw invalid(normalised, "expected 5 fields (minute hour day-of-month month day-of-week) or 6 "
                    + "(seconds first), got " + fields.length + (fields.length == 7 ? " (years are not supported)" : ""));
        }
        CronExpression parsed;
        try {
            parsed = new CronExpression(normalised, sixFields);
        } catch (IllegalArgumentException e) {
            throw invalid(normalised, e.getMessage());
        }
        parsed.rejectImpossibleDays();
        return parsed;
    }

    private static IllegalArgumentException invalid(String expression, String problem) {
        return new IllegalArgumentException("invalid cron expression '" + expression + "': " + problem);
    }

    /** The expression as given, whitespace normalised; five fields stay five. */
    public String expression() {
        return expression;
    }

    /**
     * Whether the hour field is {@code *} or {@code *}/n: such schedules describe a rate through the
     * day rather than named wall-clock times, which changes how DST overlaps and gaps are treated.
     */
    public boolean repeatsHourly() {
        return repeatsHourly;
    }

    /**
     * The first matching local date-time in {@code [from, toExclusive)}, or {@code null}. {@code from}
     * must be a whole second.
     */
    public LocalDateTime nextMatch(LocalDateTime from, LocalDateTime toExclusive) {
        LocalDate day = from.toLocalDate();
        LocalTime notBefore = from.toLocalTime();
        LocalDate lastDay = toExclusive.toLocalDate();
        while (!day.isAfter(lastDay)) {
            if (!months.get(day.getMonthValue())) {
                day = day.withDayOfMonth(1).plusMonths(1);
                notBefore = LocalTime.MIDNIGHT;
                continue;
            }
            if (dayMatches(day)) {
                LocalTime time = firstTimeAtOrAfter(notBefore);
                if (time != null) {
                    LocalDateTime candidate = day.atTime(time);
                    return candidate.isBefore(toExclusive) ? candidate : null;
                }
            }
            day = day.plusDays(1);
            notBefore = LocalTime.MIDNIGHT;
        }
        return null;
    }

    /**
     * Vixie/POSIX rule: if both day fields are restricted (neither is {@code *} or {@code ?}) a day
     * matches when EITHER matches; otherwise only the restricted one (if any) counts.
     */
    boolean dayMatches(LocalDate day) {
        boolean dom = daysOfMonth.get(day.getDayOfMonth())
                || daysBeforeLast.get(day.lengthOfMonth() - day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        if (dayOfMonthRestricted) {
            return dom;
        }
        return !dayOfWeekRestricted || dow;
    }

    private LocalTime firstTimeAtOrAfter(LocalTime notBefore) {
        for (int h = hours.nextSetBit(notBefore.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
            boolean sameHour = h == notBefore.getHour();
            for (int m = minutes.nextSetBit(sameHour ? notBefore.getMinute() : 0); m >= 0;
                 m = minutes.nextSetBit(m + 1)) {
                boolean sameMinute = sameHour && m == notBefore.getMinute();
                int s = seconds.nextSetBit(sameMinute ? notBefore.getSecond() : 0);
                if (s >= 0) {
                    return LocalTime.of(h, m, s);
                }
            }
        }
        return null;
    }

    /**
     * Quartz returns null for "0 0 30 2 ?" and callers learn only that a trigger "will never fire"
     * (quartz #1138); failing at definition time names the cause instead.
     */
    private void rejectImpossibleDays() {
        if (!dayOfMonthRestricted || dayOfWeekRestricted) {
            return;
        }
        int firstDay = daysOfMonth.nextSetBit(1);
        int fewestDaysBeforeLast = daysBeforeLast.nextSetBit(0);
        for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
            int maxLength = Month.of(m).maxLength();
            if ((firstDay >= 0 && firstDay <= maxLength)
                    || (fewestDaysBeforeLast >= 0 && fewestDaysBeforeLast < maxLength)) {
                return;
            }
        }
        throw invalid(expression, "it can never fire, no selected month has the selected day(s) of month");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression other && expression.equals(other.expression);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression);
    }

    @Override
    public String toString() {
        return expression;
    }
}
