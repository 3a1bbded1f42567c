package io.taskq.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants as ISO-8601 text in UTC, the form {@code Instant.toString()} prints ({@code 2026-11-21T22:09:15Z}, or
 * with 3, 6 or 9 fraction digits as the nanoseconds need), written and read without a {@code DateTimeFormatter}:
 * every submit writes one (the envelope's {@code sent_at}), every finish one (the record), every task event one,
 * and the general formatter costs several times the rest of such a write. Instants outside years 0000-9999 go
 * through {@code Instant.toString()}.
 */
public final class IsoInstants {
    private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private IsoInstants() {
    }

    /** {@code t} as {@code t.toString()} prints it. */
    public static String format(Instant t) {
        long s = t.getEpochSecond();
        if (s < MIN_SECOND || s > MAX_SECOND) {
            return t.toString();
        }
        long day = Math.floorDiv(s, 86_400);
        int secOfDay = (int) Math.floorMod(s, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        int nano = t.getNano();
        int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
        char[] c = new char[fraction == 0 ? 20 : 21 + fraction];
        put(c, 0, date.getYear(), 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secOfDay / 3600, 2);
        c[13] = ':';
        put(c, 14, secOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secOfDay % 60, 2);
        if (fraction > 0) {
            c[19] = '.';
            put(c, 20, fraction == 3 ? nano / 1_000_000 : fraction == 6 ? nano / 1000 : nano, fraction);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    /** Writes {@code value} as exactly {@code len} decimal digits at {@code from}. */
    private static void put(char[] c, int from, int value, int len) {
        for (int i = from + len - 1; i >= from; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * {@code 2026-11-21T22:09:15Z} or with 1 to 9 fraction digits, as {@code Instant.toString()} and the scripts'
     * formatter print it (years 0000-9999); null for anything else, including dates that do not exist.
     */
    public static Instant parse(String s) {
        int n = s.length();
        if (n < 20 || n == 21 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z'
                || (n > 20 && s.charAt(19) != '.')) {
            return null;
        }
        int y = digits(s, 0, 4);
        int mo = digits(s, 5, 2);
        int d = digits(s, 8, 2);
        int h = digits(s, 11, 2);
        int mi = digits(s, 14, 2);
        int sec = digits(s, 17, 2);
        int nano = 0;
        if (n > 20) {
            int frac = digits(s, 20, n - 21);
            if (frac < 0) {
                return null;
            }
            nano = frac;
            for (int k = n - 21; k < 9; k++) {
                nano *= 10;
            }
        }
        if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) {
            return null;
        }
        try {
            long day = LocalDate.of(y, mo, d).toEpochDay();
            return Instant.ofEpochSecond(day * 86_400 + h * 3_600L + mi * 60L + sec, nano);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number of {@code len} ASCII digits at {@code from}, or −1. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
