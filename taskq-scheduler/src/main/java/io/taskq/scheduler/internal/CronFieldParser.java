package io.taskq.scheduler.internal;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Parses one field of a cron expression into the set of values it selects. Errors quote the field's text as the
 * user wrote it ({@code day-of-week 'FRI-MON' is an invalid range: ...}), never an internal numbering.
 *
 * <p>Syntax per field: {@code *}, values, names (months {@code JAN}..{@code DEC}, days {@code SUN}..{@code SAT}, any
 * case), ranges {@code a-b}, lists {@code a,b}, steps {@code *}/n, {@code a-b}/n and {@code a}/n (from a to the end
 * of the field); {@code ?} as a whole day field; {@code L} and {@code L-n} in day-of-month. In day-of-week both
 * {@code 0} and {@code 7} are Sunday, and {@code SUN} means 0 at the start of a range and 7 at its end, so that
 * {@code SUN-TUE} and {@code FRI-SUN} both read as written.
 */
final class CronFieldParser {

    /** The fields, in expression order (six-field form). */
    enum Field {
        SECOND("second", 0, 59, 59, null),
        MINUTE("minute", 0, 59, 59, null),
        HOUR("hour", 0, 23, 23, null),
        DAY_OF_MONTH("day-of-month", 1, 31, 31, null),
        MONTH("month", 1, 12, 12,
                List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
        DAY_OF_WEEK("day-of-week", 0, 7, 6, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

        final String label;
        final int min;
        final int max;
        /** Upper end of what {@code *} and an open-ended step cover: 6 for day-of-week, so that 7 is not Sunday twice. */
        final int starMax;
        /** Names of min, min+1, ...; null if the field has none. */
        final List<String> names;

        Field(String label, int min, int max, int starMax, List<String> names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.starMax = starMax;
            this.names = names;
        }

        private String range() {
            String numbers = min + "-" + max;
            return names == null ? numbers : numbers + " or " + names.get(0) + "-" + names.get(names.size() - 1);
        }
    }

    /**
     * A parsed field.
     *
     * @param values   selected values (day-of-week: 0-7, 7 not yet folded to Sunday)
     * @param fromLast day-of-month only: offsets before the month's last day selected by {@code L} (0) and {@code L-n}
     * @param wildcard whether the field is exactly {@code *} or {@code ?}, i.e. selects nothing in particular
     */
    record Parsed(BitSet values, BitSet fromLast, boolean wildcard) {
    }

    private final Field field;
    private final String text;
    private final BitSet values = new BitSet(64);
    private final BitSet fromLast = new BitSet(32);

    private CronFieldParser(Field field, String text) {
        this.field = field;
        this.text = text;
    }

    /**
     * Parses a field's text.
     *
     * @throws IllegalArgumentException saying which field, quoting its text, and what is wrong
     */
    static Parsed parse(Field field, String text) {
        return new CronFieldParser(field, text).parse();
    }

    private Parsed parse() {
        boolean dayField = field == Field.DAY_OF_MONTH || field == Field.DAY_OF_WEEK;
        if (text.equals("*") || (dayField && text.equals("?"))) {
            values.set(field.min, field.starMax + 1);
            return new Parsed(values, fromLast, true);
        }
        String[] items = text.split(",", -1);
        for (String item : items) {
            if (item.isEmpty()) {
                throw error("empty list item");
            }
            item(item);
        }
        return new Parsed(values, fromLast, false);
    }

    private void item(String item) {
        if (item.contains("?")) {
            throw error("? is only allowed as the whole day-of-month or day-of-week field");
        }
        if (item.contains("#")) {
            throw error(field == Field.DAY_OF_WEEK ? "# (n-th weekday of the month) is not supported"
                    : "# is not supported");
        }
        if (field == Field.DAY_OF_MONTH && item.toUpperCase(Locale.ROOT).startsWith("L")) {
            lastDay(item);
            return;
        }
        int slash = item.indexOf('/');
        String base = slash < 0 ? item : item.substring(0, slash);
        int from;
        int to;
        if (base.equals("*")) {
            from = field.min;
            to = field.starMax;
        } else {
            int dash = base.indexOf('-');
            if (dash >= 0) {
                String a = base.substring(0, dash);
                String b = base.substring(dash + 1);
                from = value(a, true);
                to = value(b, false);
                if (field == Field.DAY_OF_WEEK && from == 0 && to == 7 && !b.equals("7")) {
                    // SUN-SUN (or 0-SUN) is Sunday alone, a range from a day to itself.
                    to = 0;
                }
                if (from > to) {
                    throw invalidRange(base, a, b, from);
                }
            } else {
                from = value(base, slash >= 0);
                // "a/n" runs from a to the end of the field, as in Quartz and cron-utils.
                to = slash < 0 ? from : Math.max(from, field.starMax);
            }
        }
        int step = 1;
        if (slash >= 0) {
            String s = item.substring(slash + 1);
            step = s.matches("[0-9]{1,4}") ? Integer.parseInt(s) : 0;
            if (step < 1) {
                throw error("invalid step " + s + ": it must be a whole number of at least 1");
            }
        }
        for (int v = from; v <= to; v += step) {
            values.set(v);
        }
    }

    private void lastDay(String item) {
        String upper = item.toUpperCase(Locale.ROOT);
        if (upper.equals("L")) {
            fromLast.set(0);
        } else if (upper.matches("L-[0-9]{1,4}")) {
            int n = Integer.parseInt(upper.substring(2));
            if (n > 30) {
                throw error(item + " is out of range: L-n needs n from 0 to 30");
            }
            fromLast.set(n);
        } else if (upper.contains("W")) {
            throw error("W (nearest weekday) is not supported");
        } else {
            throw error(item + " is not valid: L (last day) is written L or L-n, without a step");
        }
    }

    /**
     * One value as written: a number or a name.
     *
     * @param rangeStart whether it starts a range (or a step), where day-of-week 7 and {@code SUN} would be Sunday
     *                   at the wrong end
     */
    private int value(String token, boolean rangeStart) {
        if (token.isEmpty()) {
            throw error("a value is missing");
        }
        if (token.matches("[0-9]{1,9}")) {
            int v = Integer.parseInt(token);
            if (v < field.min || v > field.max) {
                throw error(token + " is out of range " + field.range());
            }
            return v;
        }
        String upper = token.toUpperCase(Locale.ROOT);
        if (field.names != null) {
            int i = field.names.indexOf(upper);
            if (i >= 0) {
                int v = field.min + i;
                // SUN ends a range as 7: FRI-SUN is Friday to Sunday, not an empty range.
                return field == Field.DAY_OF_WEEK && v == 0 && !rangeStart ? 7 : v;
            }
        }
        if (upper.endsWith("W") && field == Field.DAY_OF_MONTH) {
            throw error("W (nearest weekday) is not supported");
        }
        if (upper.endsWith("L") && field == Field.DAY_OF_WEEK) {
            throw error("L (last such weekday of the month) is not supported");
        }
        if (upper.startsWith("L")) {
            throw error("L (last) is only supported in the day-of-month field");
        }
        String kind = field == Field.MONTH ? " nor a month name (JAN-DEC)"
                : field == Field.DAY_OF_WEEK ? " nor a day name (SUN-SAT)" : "";
        throw error(token + " is " + (kind.isEmpty() ? "not a number" : "neither a number" + kind));
    }

    private IllegalArgumentException invalidRange(String range, String a, String b, int from) {
        String hint;
        if (field == Field.DAY_OF_WEEK && from == 7) {
            hint = "7 is Sunday only at the end of a range: write 0-" + b;
        } else {
            String top = field.names != null && !a.matches("[0-9]+") ? field.names.get(field.names.size() - 1)
                    : String.valueOf(field.starMax);
            String bottom = field.names != null && !b.matches("[0-9]+") ? field.names.get(0)
                    : String.valueOf(field.min);
            hint = "ranges do not wrap around: write " + a + "-" + top + "," + bottom + "-" + b;
        }
        return error("invalid range " + range + ": it ends before it starts (" + hint + ")");
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(field.label + " field '" + text + "': " + problem);
    }
}
