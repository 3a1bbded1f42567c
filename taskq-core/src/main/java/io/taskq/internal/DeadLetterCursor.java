package io.taskq.internal;

import io.taskq.spi.QueueAdmin;

/**
 * The cursor of a dead-letter search ({@code QueueAdmin.findDeadLetters}): the last dead letter read, by its time
 * (epoch ms) and id, the order both brokers keep dead letters in (Redis: the dead set's score, then the id). A
 * position by value, not by rank, so that dead letters leaving the set between two steps skip none of the others.
 *
 * @param deadAtMs the last read dead letter's time
 * @param id       its id
 */
public record DeadLetterCursor(long deadAtMs, String id) {
    private static final String FORM = "d1:";

    /** The cursor's text. */
    public String text() {
        return FORM + deadAtMs + ":" + id;
    }

    /**
     * Reads a cursor; null for null (the start).
     *
     * @throws IllegalArgumentException if the text is not a search cursor
     */
    public static DeadLetterCursor parse(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':', FORM.length());
        if (!text.startsWith(FORM) || colon < 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not a dead-letter search cursor: " + text);
        }
        try {
            long at = Long.parseLong(text.substring(FORM.length(), colon));
            return new DeadLetterCursor(at, text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a dead-letter search cursor: " + text, e);
        }
    }

    /** Checks the limit of one search step. */
    public static void checkLimit(int limit) {
        if (limit < 1 || limit > QueueAdmin.MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + QueueAdmin.MAX_PAGE + ", was " + limit);
        }
    }
}
