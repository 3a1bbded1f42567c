package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random cron expressions (day and month names in any case, lists, ranges, steps, {@code L}, {@code ?}, five and six
 * fields) in zones with and without DST, started near offset transitions and elsewhere: the next fires must be those
 * of a brute-force evaluation, minute by minute through each matching day on the zone's wall clock.
 *
 * <p>The evaluation is written here from the cron semantics in docs/scheduling.md, not with the production parser:
 * the generator builds each field's text together with the set of values it means. Day-of-week 0 and 7 are Sunday,
 * {@code SUN} is 0 at the start of a range and 7 at its end, {@code *} in day-of-week is 0-6; when both day fields are
 * restricted (neither is exactly {@code *} or {@code ?}) a day matching either fires. Across offset changes: a
 * schedule whose hour field is {@code *} or {@code *}/n fires at every instant whose local time matches (none in a
 * gap, both in an overlap); any other fires once per matching local time (at the transition in a gap, at the first
 * occurrence in an overlap).
 *
 * <p>Seeded, so a failure is reproduced by running it again; the message names the case.
 */
class CronPropertyTest {
    private static final long SEED = 20261113L;
    private static final int CASES = 3000;
    private static final int FIRES = 5;
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
            "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    private static final List<ZoneId> ZONES = List.of("UTC", "America/New_York", "Europe/London", "Europe/Berlin",
            "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "Asia/Kathmandu",
            "Asia/Tokyo").stream().map(ZoneId::of).toList();

    /** A generated field: its text and what it selects. */
    private record Field(String text, BitSet values, BitSet fromLast) {
        boolean wildcard() {
            return text.equals("*") || text.equals("?");
        }
    }

    /** A generated expression with its meaning. */
    private record Expr(String text, Field second, Field minute, Field hour, Field dom, Field month, Field dow) {
        boolean realTime() {
            return hour.text.equals("*") || hour.text.matches("\\*/[0-9]+");
        }

        boolean dayMatches(LocalDate day) {
            if (!month.values.get(day.getMonthValue())) {
                return false;
            }
            boolean byDom = dom.values.get(day.getDayOfMonth())
                    || dom.fromLast.get(day.lengthOfMonth() - day.getDayOfMonth());
            boolean byDow = dow.values.get(day.getDayOfWeek().getValue() % 7);
            if (!dom.wildcard() && !dow.wildcard()) {
                return byDom || byDow;
            }
            return (dom.wildcard() || byDom) && (dow.wildcard() || byDow);
        }

        /** Only a restricted day-of-month with a free day-of-week can select no day at all. */
        boolean canNeverFire() {
            if (dom.wildcard() || !dow.wildcard()) {
                return false;
            }
            for (int m = month.values.nextSetBit(1); m >= 0; m = month.values.nextSetBit(m + 1)) {
                int length = Month.of(m).maxLength();
                int first = dom.values.nextSetBit(1);
                int fewestFromLast = dom.fromLast.nextSetBit(0);
                if ((first >= 0 && first <= length) || (fewestFromLast >= 0 && fewestFromLast < length)) {
                    return false;
                }
            }
            return true;
        }
    }

    @Test
    void nextFiresMatchABruteForceEvaluation() {
        Random random = new Random(SEED);
        int checked = 0;
        int neverFire = 0;
        for (int i = 0; i < CASES; i++) {
            Expr e = expression(random);
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            Instant start = start(random, zone);
            String where = "case " + i + ": '" + e.text + "' in " + zone + " after " + start;
            Schedule schedule;
            try {
                schedule = Schedule.cron(e.text, zone);
            } catch (IllegalArgumentException ex) {
                assertTrue(e.canNeverFire(), where + ": refused: " + ex.getMessage());
                assertTrue(ex.getMessage().endsWith("it can never fire, no selected month has the selected day(s) "
                        + "of month"), where + ": " + ex.getMessage());
                neverFire++;
                continue;
            }
            if (e.canNeverFire()) {
                fail(where + ": accepted, but it can never fire");
            }
            List<Instant> expected = bruteForce(e, zone, start, FIRES);
            List<Instant> actual = new ArrayList<>();
            Instant after = start;
            for (int k = 0; k < expected.size(); k++) {
                Instant next = schedule.nextFireAfter(after).orElse(null);
                if (next == null) {
                    break;
                }
                actual.add(next);
                after = next;
            }
            assertEquals(expected, actual, where);
            checked++;
        }
        assertTrue(checked > CASES * 9 / 10, "most cases fire: " + checked + " checked, " + neverFire + " never fire");
    }

    // ------------------------------------------------------------------ the oracle

    /** The first {@code n} fires after {@code after}, walking the zone's wall clock day by day, minute by minute. */
    private static List<Instant> bruteForce(Expr e, ZoneId zone, Instant after, int n) {
        ZoneRules rules = zone.getRules();
        boolean realTime = e.realTime();
        TreeSet<Instant> fires = new TreeSet<>();
        // Once n fires are known, local times more than 2 hours after the n-th cannot be earlier instants: these
        // zones' offsets change by an hour at most.
        LocalDateTime stopAt = null;
        LocalDate day = LocalDate.ofInstant(after, zone).minusDays(2);
        LocalDate horizon = day.plusYears(10);
        for (; day.isBefore(horizon); day = day.plusDays(1)) {
            if (stopAt != null && day.isAfter(stopAt.toLocalDate())) {
                break;
            }
            if (!e.dayMatches(day)) {
                continue;
            }
            for (int minuteOfDay = 0; minuteOfDay < 24 * 60; minuteOfDay++) {
                int h = minuteOfDay / 60;
                int m = minuteOfDay % 60;
                if (!e.hour.values.get(h) || !e.minute.values.get(m)) {
                    continue;
                }
                for (int s = e.second.values.nextSetBit(0); s >= 0; s = e.second.values.nextSetBit(s + 1)) {
                    LocalDateTime t = day.atTime(h, m, s);
                    if (stopAt != null && t.isAfter(stopAt)) {
                        return List.copyOf(fires);
                    }
                    List<ZoneOffset> offsets = rules.getValidOffsets(t);
                    List<Instant> instants = new ArrayList<>();
                    if (realTime) {
                        offsets.forEach(o -> instants.add(t.toInstant(o)));
                    } else if (offsets.isEmpty()) {
                        instants.add(rules.getTransition(t).getInstant());
                    } else {
                        instants.add(offsets.stream().map(t::toInstant).min(Instant::compareTo).orElseThrow());
                    }
                    for (Instant fire : instants) {
                        if (fire.isAfter(after)) {
                            fires.add(fire);
                        }
                    }
                    while (fires.size() > n) {
                        fires.pollLast();
                    }
                    if (fires.size() == n) {
                        stopAt = LocalDateTime.ofInstant(fires.last(), zone).plusHours(2);
                    }
                }
            }
        }
        return List.copyOf(fires);
    }

    // ------------------------------------------------------------------ the generator

    private static Expr expression(Random r) {
        boolean six = r.nextInt(5) == 0;
        // Mostly sparse seconds and minutes, so that a case's fires often straddle an offset transition.
        Field second = six ? numeric(r, 0, 59, false, 1) : new Field("0", bits(0, 0), new BitSet());
        Field minute = numeric(r, 0, 59, false, 1);
        Field hour = numeric(r, 0, 23, false, 3);
        Field dom = numeric(r, 1, 31, true, 3);
        Field month = named(r, 1, 12, MONTHS);
        Field dow = dayOfWeek(r);
        String text = (six ? second.text + " " : "") + String.join(" ", minute.text, hour.text, dom.text,
                month.text, dow.text);
        return new Expr(text, second, minute, hour, dom, month, dow);
    }

    /** Seconds, minutes, hours, day-of-month. */
    /** @param wildcardTenths chance in tenths of the field being {@code *} (or {@code ?}) */
    private static Field numeric(Random r, int min, int max, boolean dayOfMonth, int wildcardTenths) {
        int roll = r.nextInt(10);
        if (roll < wildcardTenths) {
            return new Field(dayOfMonth && r.nextBoolean() ? "?" : "*", bits(min, max), new BitSet());
        }
        if (roll == wildcardTenths) {
            int step = 1 + r.nextInt(Math.min(12, max - min + 1));
            return new Field("*/" + step, stepped(min, max, step), new BitSet());
        }
        BitSet values = new BitSet();
        BitSet fromLast = new BitSet();
        List<String> items = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            int kind = r.nextInt(dayOfMonth ? 11 : 10);
            if (kind == 10) {
                int n = r.nextInt(3) == 0 ? 0 : r.nextInt(31);
                items.add(n == 0 && r.nextBoolean() ? "L" : "L-" + n);
                fromLast.set(n);
            } else {
                items.add(item(r, min, max, max, kind, values, v -> String.valueOf(v), v -> String.valueOf(v)));
            }
        }
        return new Field(String.join(",", items), values, fromLast);
    }

    private static Field named(Random r, int min, int max, String[] names) {
        if (r.nextInt(4) == 0) {
            return new Field("*", bits(min, max), new BitSet());
        }
        BitSet values = new BitSet();
        List<String> items = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            java.util.function.IntFunction<String> text = v -> r.nextBoolean() ? cased(r, names[v - min])
                    : String.valueOf(v);
            items.add(item(r, min, max, max, r.nextInt(10), values, text, text));
        }
        return new Field(String.join(",", items), values, new BitSet());
    }

    /** Day-of-week: values 0-7 with 7 = Sunday; {@code SUN} starts a range as 0 and ends it as 7. */
    private static Field dayOfWeek(Random r) {
        int roll = r.nextInt(8);
        if (roll < 2) {
            return new Field(roll == 0 ? "*" : "?", bits(0, 6), new BitSet());
        }
        BitSet values = new BitSet();
        List<String> items = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            // A start (or a single value): 7 is only written as a number and never starts a range.
            java.util.function.IntFunction<String> start = v -> v < 7 && r.nextBoolean() ? cased(r, DAYS[v])
                    : String.valueOf(v);
            // An end: Sunday as 7 may be written SUN; 0 stays a number (SUN there would mean 7). Not 0-SUN or
            // SUN-SUN, which mean Sunday alone (CronScheduleTest).
            int[] rangeStart = new int[1];
            java.util.function.IntFunction<String> startRecorded = v -> {
                rangeStart[0] = v;
                return start.apply(v);
            };
            java.util.function.IntFunction<String> end = v -> v == 7 && rangeStart[0] > 0 && r.nextBoolean()
                    ? cased(r, "SUN") : v > 0 && v < 7 && r.nextBoolean() ? cased(r, DAYS[v]) : String.valueOf(v);
            items.add(item(r, 0, 7, 6, r.nextInt(10), values, startRecorded, end));
        }
        if (values.get(7)) {
            values.clear(7);
            values.set(0);
        }
        return new Field(String.join(",", items), values, new BitSet());
    }

    /**
     * One list item, recording what it selects: a value, a range, or a step over {@code *}, a range or an open
     * start.
     *
     * @param starMax the top of {@code *} and of an open-ended step (6 for day-of-week)
     */
    private static String item(Random r, int min, int max, int starMax, int kind, BitSet values,
                               java.util.function.IntFunction<String> startText,
                               java.util.function.IntFunction<String> endText) {
        if (kind < 4) {
            int v = min + r.nextInt(max - min + 1);
            values.set(v);
            return startText.apply(v);
        }
        int a = min + r.nextInt(starMax - min + 1);
        int b = a + r.nextInt(max - a + 1);
        if (kind < 7) {
            values.set(a, b + 1);
            return startText.apply(a) + "-" + endText.apply(b);
        }
        int step = 1 + r.nextInt(Math.max(1, (max - min) / 2));
        if (kind == 7) {
            values.or(stepped(min, starMax, step));
            return "*/" + step;
        }
        if (kind == 8) {
            values.or(stepped(a, b, step));
            return startText.apply(a) + "-" + endText.apply(b) + "/" + step;
        }
        values.or(stepped(a, starMax, step));
        return startText.apply(a) + "/" + step;
    }

    private static String cased(Random r, String name) {
        return switch (r.nextInt(3)) {
            case 0 -> name;
            case 1 -> name.toLowerCase(Locale.ROOT);
            default -> name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
        };
    }

    private static BitSet bits(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to + 1);
        return b;
    }

    private static BitSet stepped(int from, int to, int step) {
        BitSet b = new BitSet();
        for (int v = from; v <= to; v += step) {
            b.set(v);
        }
        return b;
    }

    /**
     * Half the cases start within a day and a half of an offset transition of the zone (half of those in the six
     * hours before it), the others anywhere in 2024-2026.
     */
    private static Instant start(Random r, ZoneId zone) {
        Instant base = LocalDate.of(2024, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC)
                .plusSeconds((long) (r.nextDouble() * 3 * 365 * 86_400));
        if (r.nextBoolean()) {
            ZoneRules rules = zone.getRules();
            Instant from = zone.getId().equals("Asia/Kathmandu") ? Instant.parse("1985-06-01T00:00:00Z") : base;
            ZoneOffsetTransition t = rules.nextTransition(from);
            if (t != null) {
                base = t.getInstant().plusSeconds(r.nextBoolean() ? -r.nextInt(6 * 3600)
                        : r.nextInt(3 * 86_400) - 36 * 3600);
            }
        }
        Instant start = base.truncatedTo(ChronoUnit.MINUTES);
        return switch (r.nextInt(4)) {
            case 0 -> start;
            case 1 -> start.minusSeconds(1);
            case 2 -> start.plusSeconds(r.nextInt(60));
            default -> start.plusMillis(r.nextInt(60_000));
        };
    }
}
