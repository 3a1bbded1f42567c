package io.taskq.redis.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start-up errors that explain themselves: a URI without scheme, a wrong password, an ACL without the prefix. */
class ConnectErrorsTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static void aclSetuser(String... rules) {
        server.with(r -> {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER");
            for (String rule : rules) {
                args.add(rule);
            }
            r.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
        });
    }

    private static String url(String user, String password) {
        URI u = URI.create(server.url());
        return "redis://" + user + ":" + password + "@" + u.getHost() + ":" + u.getPort() + "/0";
    }

    private static String where(String user) {
        URI u = URI.create(server.url());
        return "redis://" + user + ":****@" + u.getHost() + ":" + u.getPort() + "/0";
    }

    @Test
    void aUriWithoutSchemeSaysHowToWriteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisBroker.builder().uri("127.0.0.1:6379"));
        assertEquals("Redis URI '127.0.0.1:6379' has no scheme: write redis://host:port (rediss://host:port for TLS,"
                + " redis-sentinel://host:port/0#master for Sentinel)", e.getMessage());
        IllegalArgumentException withPassword = assertThrows(IllegalArgumentException.class,
                () -> RedisBroker.builder().uri("app:s3cr3t-pw@redis.internal:6379"));
        assertFalse(withPassword.getMessage().contains("s3cr3t-pw"), withPassword.getMessage());
    }

    @Test
    void aWrongPasswordSaysAuthenticationFailedForTheUser() {
        aclSetuser("tester", "on", ">right-password", "~*", "&*", "+@all");
        long start = System.nanoTime();
        RedisConnectionException e = assertThrows(RedisConnectionException.class,
                () -> RedisBroker.builder().uri(url("tester", "s3cr3t-pw-wrong")).build());
        assertTrue(e.getMessage().startsWith("Redis authentication failed for user 'tester' at " + where("tester")
                + ": WRONGPASS"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-pw-wrong"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "not retried for the whole minute");
    }

    @Test
    void anAclUserWithoutThePrefixsKeysIsToldTheRuleToAdd() {
        aclSetuser("other", "on", ">pw", "resetkeys", "~{theirs:*", "~{theirs}:*", "&*", "+@all");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisBroker.builder().uri(url("other", "pw")).keyPrefix("mine").build());
        assertTrue(e.getMessage().startsWith("Redis user 'other' may not read keys under the key prefix 'mine' at "
                + where("other") + " (NOPERM"), e.getMessage());
        assertTrue(e.getMessage().contains("ACL SETUSER other ~{mine:* ~{mine}:* &{mine}:*"), e.getMessage());
    }

    @Test
    void aReadOnlyAclUserIsToldItMayNotWrite() {
        aclSetuser("reader", "on", ">pw", "resetkeys", "%R~{mine:*", "%R~{mine}:*", "&*", "+@all");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisBroker.builder().uri(url("reader", "pw")).keyPrefix("mine").build());
        assertTrue(e.getMessage().startsWith("Redis user 'reader' may not write keys under the key prefix 'mine'"),
                e.getMessage());
    }
}
