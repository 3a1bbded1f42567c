package io.taskq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;

/**
 * The arguments of a task as a short text for events and remote-control listings ({@code Taskq.Builder.argsRepr}):
 * the message's JSON arguments, cut to a bounded length with an ellipsis. Made from the JSON tree the message
 * carries, never by calling {@code toString} on application objects; the writing stops once the bound is reached, so
 * large arguments cost no more than the bound.
 */
public final class ArgsRepr {
    /** Arguments not shown. */
    public static final ArgsRepr OFF = new ArgsRepr(0);
    /** Appended to a cut text. */
    static final String ELLIPSIS = "...";

    private final int maxChars;

    private ArgsRepr(int maxChars) {
        this.maxChars = maxChars;
    }

    /**
     * Shows at most {@code maxChars} characters of the arguments (the ellipsis included); 0: none.
     *
     * @throws IllegalArgumentException if {@code maxChars} is negative, or between 1 and the ellipsis's length
     */
    public static ArgsRepr of(int maxChars) {
        if (maxChars == 0) {
            return OFF;
        }
        if (maxChars <= ELLIPSIS.length()) {
            throw new IllegalArgumentException("argsRepr must be 0 (off) or more than " + ELLIPSIS.length()
                    + ", was " + maxChars);
        }
        return new ArgsRepr(maxChars);
    }

    /** Whether arguments are shown at all. */
    public boolean enabled() {
        return maxChars > 0;
    }

    /** The text of {@code args} (the message's JSON array), or null when off or there are none. */
    public String of(JsonNode args) {
        if (maxChars == 0 || args == null) {
            return null;
        }
        Bounded out = new Bounded(maxChars - ELLIPSIS.length());
        try {
            Json.mapper().writeValue(out, args);
        } catch (IOException e) {
            // Full (maybe wrapped by Jackson): the text so far is what is shown.
            if (!out.over) {
                return null;
            }
        }
        return out.over ? out.text() + ELLIPSIS : out.text();
    }

    /** The text of a message's arguments, or null when off or the message cannot be read. */
    public String ofMessage(String body) {
        if (maxChars == 0) {
            return null;
        }
        try {
            return of(Envelope.decode(body).args());
        } catch (Envelope.MalformedException e) {
            return null;
        }
    }

    /** Keeps the first {@code limit} characters, then stops the writing (with {@link Full}). */
    private static final class Bounded extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int limit;
        /** Whether more came than the limit. */
        private boolean over;

        Bounded(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            int room = limit - text.length();
            if (len > room) {
                text.append(buf, off, room);
                over = true;
                throw new Full();
            }
            text.append(buf, off, len);
        }

        String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** The bound was reached; the text so far is kept. */
    private static final class Full extends IOException {
        Full() {
            super("bound reached");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
