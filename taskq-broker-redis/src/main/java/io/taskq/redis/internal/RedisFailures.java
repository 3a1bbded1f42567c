package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import java.util.List;

/** Which failures of a Redis call may pass if the call is made again (see {@code Broker#isTransient}). */
public final class RedisFailures {
    /**
     * Error replies of a server that is starting, failing over or briefly busy. Not transient: NOPERM, WRONGPASS,
     * NOAUTH (they repeat until someone changes the ACL), ERR and script errors (bad input or a bug), OOM (memory is
     * not freed within seconds).
     */
    private static final List<String> PASSING = List.of("LOADING", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN",
            "READONLY", "NOREPLICAS", "NOSCRIPT");

    private RedisFailures() {
    }

    /**
     * True for a client-side failure (timeout, lost or refused connection, commands rejected while disconnected)
     * and for the error replies above; false for an interrupt and for other error replies.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisCommandInterruptedException) {
                return false;
            }
            if (t instanceof RedisCommandExecutionException) {
                String m = t.getMessage();
                return m != null && PASSING.stream().anyMatch(m::startsWith);
            }
            if (t instanceof RedisException) {
                return true;
            }
        }
        return false;
    }
}
