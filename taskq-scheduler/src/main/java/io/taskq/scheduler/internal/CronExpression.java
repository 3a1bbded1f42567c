package io.taskq.scheduler.internal;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.And;
import com.cronutils.model.field.expression.Between;
import com.cronutils.model.field.expression.Every;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.field.expression.On;
import com.cronutils.model.field.expression.QuestionMark;
import com.cronutils.model.field.value.FieldValue;
import com.cronutils.model.field.value.IntegerFieldValue;
import com.cronutils.model.field.value.SpecialChar;
import com.cronutils.parser.CronParser;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.util.BitSet;
import java.util.Objects;

/**
 * A parsed cron expression reduced to one bit set per field, plus the wall-clock search over it.
 *
 * <p>cron-utils does the parsing and validation (names, ranges, steps, lists, {@code L}, {@code ?}).
 * Its {@code ExecutionTime} is not used: it drops a whole day when a fixed time falls into a
 * spring-forward gap (see {@code CronUtilsKnownBugsTest}), so next-fire times are computed here on
 * the parsed field model, field by field, never minute by minute.
 *
 * <p>This class knows nothing about time zones; {@link CronTimeline} maps its local date-times to
 * instants under the DST rules.
 */
public final class CronExpression {

    /**
     * Seconds, minutes, hours, day-of-month ({@code L} and {@code L-n} allowed), month, day-of-week
     * (0-7, 7 folded to Sunday = 0 as in Unix cron). Names are case-insensitive and mapped by
     * cron-utils' defaults (JAN..DEC, MON..SUN). Five-field input gets a leading "0" seconds field
     * before parsing, so one definition serves both forms.
     */
    private static final CronDefinition DEFINITION = CronDefinitionBuilder.defineCron()
            .withSeconds().withValidRange(0, 59).withStrictRange().and()
            .withMinutes().withValidRange(0, 59).withStrictRange().and()
            .withHours().withValidRange(0, 23).withStrictRange().and()
            .withDayOfMonth().withValidRange(1, 31).supportsL().supportsQuestionMark().withStrictRange().and()
            .withMonth().withValidRange(1, 12).withStrictRange().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0)
            .supportsQuestionMark().withStrictRange().and()
            .instance();

    /** Documented thread-safe since cron-utils 9.1.7 (cron-utils #515). */
    private static final CronParser PARSER = new CronParser(DEFINITION);

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

    private CronExpression(String expression, Cron cron) {
        this.expression = expression;
        this.seconds = expand(cron, CronFieldName.SECOND, 0, 59);
        this.minutes = expand(cron, CronFieldName.MINUTE, 0, 59);
        this.hours = expand(cron, CronFieldName.HOUR, 0, 23);
        this.months = expand(cron, CronFieldName.MONTH, 1, 12);
        this.daysOfMonth = new BitSet(32);
        this.daysBeforeLast = new BitSet(32);
        FieldExpression dom = cron.retrieve(CronFieldName.DAY_OF_MONTH).getExpression();
        expandInto(dom, CronFieldName.DAY_OF_MONTH, 1, 31, daysOfMonth, daysBeforeLast);
        BitSet dow = new BitSet(8);
        FieldExpression dowExpr = cron.retrieve(CronFieldName.DAY_OF_WEEK).getExpression();
        // '*' means 0-6 here, not 0-7, so that "*/2" is Sun, Tue, Thu, Sat as in Vixie cron.
        expandInto(dowExpr, CronFieldName.DAY_OF_WEEK, 0, 6, dow, null);
        if (dow.get(7)) {
            dow.clear(7);
            dow.set(0);
        }
        this.daysOfWeek = dow;
        this.dayOfMonthRestricted = !isWildcard(dom);
        this.dayOfWeekRestricted = !isWildcard(dowExpr);
        FieldExpression hour = cron.retrieve(CronFieldName.HOUR).getExpression();
        this.repeatsHourly = hour instanceof Always
                || (hour instanceof Every every && every.getExpression() instanceof Always);
    }

    /**
     * Parses a 5-field (minute hour day-of-month month day-of-week) or 6-field (leading seconds)
     * expression.
     *
     * @throws IllegalArgumentException naming the problem, also for expressions that can never fire
     */
    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression must not be blank");
        }
        String normalised = String.join(" ", expression.trim().split("\\s+"));
        int fields = normalised.split(" ").length;
        String sixFields;
        if (fields == 5) {
            sixFields = "0 " + normalised;
        } else if (fields == 6) {
            sixFields = normalised;
        } else {
            throw new IllegalArgumentException("invalid cron expression '" + normalised + "': expected 5 fields "
                    + "(minute hour day-of-month month day-of-week) or 6 (seconds first), got " + fields);
        }
        Cron cron;
        try {
            cron = PARSER.parse(sixFields).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron expression '" + normalised + "': "
                    + stripPrefix(e.getMessage()), e);
        }
        CronExpression parsed;
        try {
            parsed = new CronExpression(normalised, cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron expression '" + normalised + "': " + e.getMessage(), e);
        }
        parsed.rejectImpossibleDays();
        return parsed;
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
        throw new IllegalArgumentException("invalid cron expression '" + expression
                + "': it can never fire, no selected month has the selected day(s) of month");
    }

    private static boolean isWildcard(FieldExpression expression) {
        return expression instanceof Always || expression instanceof QuestionMark;
    }

    private static BitSet expand(Cron cron, CronFieldName field, int min, int max) {
        BitSet bits = new BitSet(max + 1);
        expandInto(cron.retrieve(field).getExpression(), field, min, max, bits, null);
        return bits;
    }

    /**
     * @param min      lower end of the range {@code *} stands for
     * @param max      upper end of the range {@code *} stands for
     * @param fromLast receives {@code L}/{@code L-n} offsets; null where {@code L} is not allowed
     */
    private static void expandInto(FieldExpression expression, CronFieldName field, int min, int max,
                                   BitSet bits, BitSet fromLast) {
        if (expression instanceof Always || expression instanceof QuestionMark) {
            bits.set(min, max + 1);
        } else if (expression instanceof And and) {
            for (FieldExpression part : and.getExpressions()) {
                expandInto(part, field, min, max, bits, fromLast);
            }
        } else if (expression instanceof On on) {
            SpecialChar special = on.getSpecialChar().getValue();
            if (special == SpecialChar.NONE) {
                bits.set(on.getTime().getValue());
            } else if (special == SpecialChar.L && fromLast != null) {
                int nth = on.getNth().getValue();
                int offset = nth < 0 ? 0 : nth;
                if (offset > 30) {
                    throw new IllegalArgumentException("L-" + offset + " is out of range in " + describe(field));
                }
                fromLast.set(offset);
            } else {
                throw unsupported(expression, field);
            }
        } else if (expression instanceof Between between) {
            bits.set(value(between.getFrom(), expression, field), value(between.getTo(), expression, field) + 1);
        } else if (expression instanceof Every every) {
            int step = every.getPeriod().getValue();
            if (step <= 0) {
                throw new IllegalArgumentException("step must be positive in " + describe(field));
            }
            FieldExpression base = every.getExpression();
            int from;
            int to;
            if (base instanceof Always || base instanceof QuestionMark) {
                from = min;
                to = max;
            } else if (base instanceof Between between) {
                from = value(between.getFrom(), expression, field);
                to = value(between.getTo(), expression, field);
            } else if (base instanceof On on && on.getSpecialChar().getValue() == SpecialChar.NONE) {
                // Quartz/cron-utils "5/15": start at 5, run to the end of the field's range.
                from = on.getTime().getValue();
                to = max;
            } else {
                throw unsupported(expression, field);
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        } else {
            throw unsupported(expression, field);
        }
    }

    private static int value(FieldValue<?> value, FieldExpression expression, CronFieldName field) {
        if (value instanceof IntegerFieldValue integer) {
            return integer.getValue();
        }
        throw unsupported(expression, field);
    }

    private static IllegalArgumentException unsupported(FieldExpression expression, CronFieldName field) {
        return new IllegalArgumentException("'" + expression.asString() + "' is not supported in "
                + describe(field));
    }

    private static String describe(CronFieldName field) {
        return field.name().toLowerCase().replace('_', '-') + " field";
    }

    private static String stripPrefix(String message) {
        String prefix = "Failed to parse cron expression. ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
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
