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
     * and for the error replies above; false for an interrupt, a TLS failure and other error replies.
     */
    public static boolean isTransient(Throwable failure) {
        RedisCommandExecutionException reply = find(failure, RedisCommandExecutionException.class);
        if (reply != null) {
            // A connect that failed on an error reply (WRONGPASS during the handshake) is that reply's failure.
            String m = reply.getMessage();
            return m != null && PASSING.stream().anyMatch(m::startsWith);
        }
        // A certificate the client does not trust stays untrusted: TLS failures are not retried.
        return find(failure, RedisCommandInterruptedException.class) == null
                && find(failure, javax.net.ssl.SSLException.class) == null
                && find(failure, java.security.GeneralSecurityException.class) == null
                && find(failure, RedisException.class) != null;
    }

    /** The first throwable of {@code type} in the cause chain of {@code t}, or null. */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
