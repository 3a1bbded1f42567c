package io.taskq.redis.lifecycle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.taskq.redis.internal.RedisFailures;
import org.junit.jupiter.api.Test;

/** Which Redis failures a submit (and a start-up) retries. */
class RedisFailuresTest {
    @Test
    void timeoutsLostConnectionsAndAServerStartingOrFailingOverAreTransient() {
        assertTrue(RedisFailures.isTransient(new RedisCommandTimeoutException("Command timed out after 5 s")));
        assertTrue(RedisFailures.isTransient(new RedisConnectionException("Unable to connect to 127.0.0.1:6379")));
        assertTrue(RedisFailures.isTransient(new RedisException("Currently not connected. Commands are rejected.")));
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory",
                "MASTERDOWN Link with MASTER is down", "READONLY You can't write against a read only replica.",
                "TRYAGAIN Multiple keys request during rehashing of slot", "CLUSTERDOWN The cluster is down",
                "BUSY Redis is busy running a script."}) {
            assertTrue(RedisFailures.isTransient(new RedisCommandExecutionException(reply)), reply);
        }
    }

    @Test
    void refusalsThatRepeatAreNot() {
        for (String reply : new String[] {"NOPERM this user has no permissions to access one of the keys",
                "WRONGPASS invalid username-password pair or user is disabled.", "NOAUTH Authentication required.",
                "ERR user_script:12: bad argument", "OOM command not allowed when used memory > 'maxmemory'."}) {
            assertFalse(RedisFailures.isTransient(new RedisCommandExecutionException(reply)), reply);
            // A connect that failed on the reply is that reply's failure.
            assertFalse(RedisFailures.isTransient(new RedisConnectionException("Unable to connect",
                    new RedisCommandExecutionException(reply))), reply);
        }
        assertFalse(RedisFailures.isTransient(new RedisCommandInterruptedException(new InterruptedException())));
        assertFalse(RedisFailures.isTransient(new RedisConnectionException("Unable to connect",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))));
        assertFalse(RedisFailures.isTransient(new IllegalArgumentException("bad input")));
    }
}
