package io.taskq.internal;

import io.taskq.spi.QueueAdmin;

/**
 * The cursors of {@link QueueAdmin#tasks} listings: a position per partition of the queue, as decimal numbers
 * separated by commas (one number for a queue without partitions). Opaque to callers; checked when read back.
 */
public final class Paging {
    private Paging() {
    }

    /** Checks the page size. */
    public static void checkLimit(int limit) {
        if (limit < 1 || limit > QueueAdmin.MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + QueueAdmin.MAX_PAGE + ", was " + limit);
        }
    }

    /** The position of a cursor of a queue without partitions (0 for null), after checking the limit. */
    public static int offset(String cursor, int limit) {
        return (int) positions(cursor, 1, limit)[0];
    }

    /**
     * The positions a cursor holds, one per partition (all 0 for null), after checking the limit.
     *
     * @throws IllegalArgumentException if the cursor does not hold {@code partitions} positions
     */
    public static long[] positions(String cursor, int partitions, int limit) {
        checkLimit(limit);
        long[] out = new long[partitions];
        if (cursor == null) {
            return out;
        }
        String[] parts = cursor.split(",", -1);
        if (parts.length != partitions) {
            throw new IllegalArgumentException("not a cursor of this listing: '" + cursor + "'");
        }
        for (int i = 0; i < partitions; i++) {
            try {
                out[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] < 0 || out[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("not a cursor of this listing: '" + cursor + "'");
            }
        }
        return out;
    }

    /** The cursor of these positions. */
    public static String cursor(long[] positions) {
        StringBuilder b = new StringBuilder();
        for (long p : positions) {
            b.append(b.length() == 0 ? "" : ",").append(p);
        }
        return b.toString();
    }
}
