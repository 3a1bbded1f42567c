package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the broker checks about its server at start-up: the Redis version (6.2 or newer), the eviction policy (a
 * warning unless {@code noeviction}), and that the ACL user may read and write keys under the key prefix, so that a
 * missing key pattern is reported at start with the rule to add instead of as a NOPERM at the first submit.
 */
public final class ServerCheck {
    private static final Logger log = LoggerFactory.getLogger(ServerCheck.class);
    private static final int MIN_MAJOR = 6;
    private static final int MIN_MINOR = 2;

    private ServerCheck() {
    }

    /**
     * Checks the server and returns its version ("unknown" if the ACL forbids INFO).
     *
     * @throws IllegalStateException if the server is too old or the user may not use the prefix's keys
     */
    public static String check(Connections conns, Endpoint endpoint, Keys keys, String prefix) {
        String where = endpoint.where();
        String version = version(conns, where);
        keyAccess(conns, endpoint, keys, prefix);
        try {
            Map<String, String> policy = conns.commands().configGet("maxmemory-policy");
            String p = policy.get("maxmemory-policy");
            if (p != null && !p.equals("noeviction")) {
                log.warn("Redis at {} has maxmemory-policy '{}': under memory pressure Redis may evict queued tasks "
                        + "and results; set it to 'noeviction'", where, p);
            }
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) {
                // The shipped per-environment ACL users may not run CONFIG: expected, said once at INFO.
                log.info("the Redis user may not read maxmemory-policy of {}; make sure it is 'noeviction'", where);
            } else {
                log.warn("could not read maxmemory-policy of {} ({}); make sure it is 'noeviction'", where,
                        e.toString());
            }
        } catch (RuntimeException e) {
            log.warn("could not read maxmemory-policy of {} ({}); make sure it is 'noeviction'", where, e.toString());
        }
        return version;
    }

    private static String version(Connections conns, String where) {
        String info;
        try {
            info = conns.commands().info("server");
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("NOPERM")) {
                throw e;
            }
            log.warn("the Redis user may not run INFO at {} ({}); cannot check that Redis is 6.2 or newer", where,
                    e.getMessage());
            return "unknown";
        }
        Matcher m = Pattern.compile("redis_version:(\\d+)\\.(\\d+)(\\.\\d+)?").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot read the Redis version of " + where);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        String version = m.group(1) + "." + m.group(2) + (m.group(3) == null ? "" : m.group(3));
        if (major < MIN_MAJOR || major == MIN_MAJOR && minor < MIN_MINOR) {
            throw new IllegalStateException("taskq needs Redis " + MIN_MAJOR + "." + MIN_MINOR
                    + " or newer (ZMSCORE, ZADD LT/GT); " + where + " runs Redis " + version);
        }
        return version;
    }

    /**
     * Probes one key of each form the broker uses ({@code {prefix:queue}:...} and {@code {prefix}:...}) with a read
     * (HGET) and a write that changes nothing (HDEL of a field that is never stored). Redis checks key permissions
     * before running a command, so a NOPERM that names keys means the user's ACL lacks the prefix's key patterns;
     * any other answer (a value, nothing, WRONGTYPE) means the key may be used.
     */
    private static void keyAccess(Connections conns, Endpoint endpoint, Keys keys, String prefix) {
        String field = "\u0000taskq-acl-probe";
        for (String key : new String[] {keys.queue("default")[Keys.RES], keys.lease("taskq-acl-probe")}) {
            for (boolean write : new boolean[] {false, true}) {
                try {
                    if (write) {
                        conns.commands().hdel(key, field);
                    } else {
                        conns.commands().hget(key, field);
                    }
                } catch (RedisCommandExecutionException e) {
                    String m = e.getMessage() == null ? "" : e.getMessage();
                    if (m.startsWith("NOPERM") && m.toLowerCase(java.util.Locale.ROOT).contains("key")) {
                        throw new IllegalStateException(noKeyAccess(endpoint, prefix, write, m), e);
                    }
                    // WRONGTYPE or a refused command: the key itself may be used
                }
            }
        }
    }

    /** The message for a user whose ACL lacks the prefix's keys; public for the docs test. */
    public static String noKeyAccess(Endpoint endpoint, String prefix, boolean write, String reply) {
        String user = endpoint.user();
        return "Redis user '" + user + "' may not " + (write ? "write" : "read") + " keys under the key prefix '"
                + prefix + "' at " + endpoint.where() + " (" + reply + "). Grant the prefix's keys and channels"
                + " (read and write): ACL SETUSER " + user + " ~{" + prefix + ":* ~{" + prefix + "}:* &{" + prefix
                + "}:* (or %RW~{" + prefix + ":* %RW~{" + prefix + "}:*), as in docs/deploy/redis-acl.conf, or use"
                + " the key prefix this user is meant for.";
    }
}
