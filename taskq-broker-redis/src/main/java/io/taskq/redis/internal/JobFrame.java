package io.taskq.redis.internal;

import io.taskq.spi.TaskMessage;

/**
 * The size rule of the job field a queue stores per task, {@code <score>\n<task>\n<body>} (see lib-format.lua): the
 * field may be at most the broker's limit long, counted in UTF-8 bytes. The scripts check the same rule (enqueue refuses a
 * message over it, a claim dead-letters a field over it), so a message this client lets through is never refused.
 */
public final class JobFrame {
    /** The frame's two line breaks and the longest score (16 digits). */
    public static final int HEADROOM = 18;

    private JobFrame() {
    }

    /**
     * Checks that a message fits in a job field of at most {@code maxBytes}.
     *
     * @throws IllegalArgumentException if it does not
     */
    public static void checkSize(TaskMessage m, int maxBytes) {
        // A char is at most 3 UTF-8 bytes: nearly every message passes without being measured.
        if (3L * (m.task().length() + m.body().length()) + HEADROOM <= maxBytes) {
            return;
        }
        long bytes = utf8Length(m.task()) + utf8Length(m.body());
        if (bytes + HEADROOM > maxBytes) {
            throw new IllegalArgumentException("message " + m.id() + " for task '" + m.task() + "' is " + bytes
                    + " bytes (task name and body), over the broker's limit of " + (maxBytes - HEADROOM)
                    + " (maxMessageBytes " + maxBytes + " less " + HEADROOM + " for the frame)");
        }
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
