package io.taskq.internal;

import io.taskq.TaskError;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Turns exceptions into {@link TaskError}s for the wire. */
public final class Errors {
    /** Longest stack trace stored; deeper traces are cut, since results live in Redis memory. */
    static final int MAX_STACK_CHARS = 16 * 1024;

    private Errors() {
    }

    /** The error of a throwable: class name, message and (bounded) stack trace. */
    public static TaskError of(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String stack = w.toString();
        if (stack.length() > MAX_STACK_CHARS) {
            stack = stack.substring(0, MAX_STACK_CHARS) + "\n\t... (truncated)";
        }
        return new TaskError(t.getClass().getName(), t.getMessage(), stack);
    }

    /** An error raised by taskq itself, with no Java stack worth keeping. */
    public static TaskError of(String type, String message) {
        return new TaskError(type, message, "");
    }
}
