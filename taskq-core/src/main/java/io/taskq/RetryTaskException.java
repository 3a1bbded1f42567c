package io.taskq;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a task to ask for another attempt, like Celery's {@code self.retry()}. Counts against the task's
 * {@code maxRetries}; once those are used up the task fails with this exception's cause (or this exception).
 *
 * <pre>{@code
 * throw RetryTaskException.in(Duration.ofSeconds(30), e);
 * }</pre>
 */
public final class RetryTaskException extends TaskqException {
    private static final long serialVersionUID = 1L;
    private final transient Duration countdown;

    private RetryTaskException(Duration countdown, Throwable cause) {
        super("retry requested" + (countdown == null ? "" : " in " + countdown), cause);
        this.countdown = countdown;
    }

    /** Retry after the given delay. */
    public static RetryTaskException in(Duration countdown, Throwable cause) {
        Objects.requireNonNull(countdown, "countdown");
        if (countdown.isNegative()) {
            throw new IllegalArgumentException("countdown must not be negative: " + countdown);
        }
        return new RetryTaskException(countdown, cause);
    }

    /** Retry after the task's configured backoff. */
    public static RetryTaskException withBackoff(Throwable cause) {
        return new RetryTaskException(null, cause);
    }

    /** The requested delay, or null to use the task's backoff. */
    public Duration countdown() {
        return countdown;
    }
}
