package io.taskq.internal.worker;

import io.taskq.RetryPolicy;
import io.taskq.RetryTaskException;
import io.taskq.TaskError;
import io.taskq.internal.Errors;
import io.taskq.internal.WorkerExtensions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks a failed task's {@link RetryPolicy} whether it runs again, and logs the answer. */
final class RetryDecider {
    private static final Logger log = LoggerFactory.getLogger(RetryDecider.class);

    private final WorkerExtensions extensions;

    RetryDecider(WorkerExtensions extensions) {
        this.extensions = extensions;
    }

    /**
     * The decision about an attempt of {@code taskName} that failed with {@code error}.
     *
     * @param retries retries scheduled before the attempt
     */
    Verdict decide(String taskId, String taskName, int retries, Throwable error) {
        RetryPolicy policy = extensions.retryPolicy(taskName);
        RetryPolicy.Decision d = policy.decide(error, retries);
        // A retry the task asked for is recorded as the failure that made it ask.
        Throwable cause = error instanceof RetryTaskException rte && rte.getCause() != null ? rte.getCause() : error;
        TaskError taskError = Errors.of(cause);
        if (d.retry()) {
            log.info("task {} failed ({}), retry {}/{} in {} ms", taskId, taskError, retries + 1,
                    policy.config().maxRetries(), d.delay().toMillis());
            return new Verdict(true, d.delay(), taskError, null);
        }
        String reason = d.reason() + ": " + taskError;
        log.warn("task {} {}", taskId, reason);
        return new Verdict(false, null, taskError, reason);
    }

    /**
     * What the worker does: retry after {@code delay}, or dead-letter for {@code reason}; either way it records
     * {@code error}.
     */
    record Verdict(boolean retry, Duration delay, TaskError error, String reason) {
    }
}
