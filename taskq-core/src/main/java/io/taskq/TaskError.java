package io.taskq;

import java.util.Objects;

/**
 * An error as it crossed the wire: the exception's class name, its message and the remote stack trace as text.
 *
 * @param type    fully qualified class name of the exception on the worker, or a taskq error kind
 * @param message the exception's message, possibly empty
 * @param stackTrace the worker-side stack trace, possibly empty
 */
public record TaskError(String type, String message, String stackTrace) {

    /** Normalises nulls to empty strings. */
    public TaskError {
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
        stackTrace = stackTrace == null ? "" : stackTrace;
    }

    @Override
    public String toString() {
        return message.isEmpty() ? type : type + ": " + message;
    }
}
