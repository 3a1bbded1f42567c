package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting a broker or schedule store started: its first connection and server checks, retried while Redis is not
 * reachable yet (a deploy during a Redis restart, Redis still loading its data) for up to the endpoint's start-up
 * retry time, like Celery's {@code broker_connection_retry_on_startup}; and failures that explain themselves
 * (authentication, an unreachable server), never showing a password.
 */
public final class Startup {
    private static final Logger log = LoggerFactory.getLogger(Startup.class);
    private static final long FIRST_PAUSE_MS = 250;
    private static final long MAX_PAUSE_MS = 5000;

    private Startup() {
    }

    /**
     * Runs {@code attempt} (which cleans up after itself when it fails) until it succeeds; a transient failure is
     * retried with a growing pause (250 ms doubling to 5 s, jittered) until {@code endpoint}'s start-up retry time is
     * spent, each retry logged at WARN.
     *
     * @throws RedisConnectionException if Redis could not be reached in time, or refused the credentials
     * @throws RuntimeException         what {@code attempt} threw, if it is not a connection problem
     */
    public static <T> T connect(Endpoint endpoint, String what, Supplier<T> attempt) {
        Duration budget = endpoint.startupRetryTimeout();
        long deadline = System.nanoTime() + budget.toNanos();
        long pause = FIRST_PAUSE_MS;
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                RuntimeException explained = authentication(endpoint, e);
                if (explained != null) {
                    throw explained;
                }
                if (!RedisFailures.isTransient(e)) {
                    throw e;
                }
                long sleep = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
                if (Thread.currentThread().isInterrupted()
                        || System.nanoTime() + sleep * 1_000_000 - deadline > 0) {
                    throw new RedisConnectionException("Redis at " + endpoint.where() + " is not reachable"
                            + (budget.isZero() ? " (start-up retry is off)"
                                    : " (gave up after " + attempts + " attempts in " + budget.toSeconds() + " s)")
                            + ": " + describe(e), e);
                }
                log.warn("{}: Redis at {} is not reachable yet ({}); attempt {} failed, retrying in {} ms (for up to"
                        + " {} s since start)", what, endpoint.where(), describe(e), attempts, sleep,
                        budget.toSeconds());
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RedisConnectionException("interrupted while waiting for Redis at " + endpoint.where(),
                            e);
                }
                pause = Math.min(MAX_PAUSE_MS, pause * 2);
            }
        }
    }

    /** What went wrong, in one line: the error reply or the innermost cause (no URI, so no password). */
    static String describe(Throwable e) {
        RedisCommandExecutionException reply = RedisFailures.find(e, RedisCommandExecutionException.class);
        if (reply != null) {
            return reply.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getMessage() + ": " + root.getMessage();
    }

    /** A refused login as an error that says so first, naming the user; null for anything else. */
    static RuntimeException authentication(Endpoint endpoint, RuntimeException e) {
        RedisCommandExecutionException reply = RedisFailures.find(e, RedisCommandExecutionException.class);
        String m = reply == null || reply.getMessage() == null ? "" : reply.getMessage();
        if (m.startsWith("WRONGPASS") || m.startsWith("NOAUTH") || m.contains("AUTH <password> called without")
                || m.startsWith("ERR invalid password")) {
            return new RedisConnectionException("Redis authentication failed for user '" + endpoint.user() + "' at "
                    + endpoint.where() + ": " + m + " Check the user name and password in the URI (the password is"
                    + " not shown here; see docs/troubleshooting.md).", e);
        }
        return null;
    }
}
