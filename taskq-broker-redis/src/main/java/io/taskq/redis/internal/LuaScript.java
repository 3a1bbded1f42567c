package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lua script resource (under {@code /io/taskq/redis/}), for scripts outside the broker's fixed set (the
 * schedule store's), with the same life cycle as {@link Scripts}: run with EVALSHA by its locally computed SHA1;
 * a server or Cluster node that answers NOSCRIPT (restarted, failed over, new node, SCRIPT FLUSH) gets EVAL with
 * the source, which also caches it there; a write refused with READONLY (demoted Sentinel master) makes the
 * connections look the master up again and is tried once more.
 *
 * <p>Thread-safe.
 */
public final class LuaScript {
    private static final Logger log = LoggerFactory.getLogger(LuaScript.class);

    private final String name;
    private final String source;
    private final String sha;

    /** Reads the resource {@code /io/taskq/redis/<name>.lua}. */
    public LuaScript(String name) {
        this.name = name;
        String path = "/io/taskq/redis/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.sha = sha1(source);
    }

    private static String sha1(String src) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(src.getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder(40);
            for (byte b : d) {
                s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The script's name (its resource name without {@code .lua}). */
    public String name() {
        return name;
    }

    /** The script's source, for documentation and tests. */
    public String source() {
        return source;
    }

    /**
     * Loads the script with SCRIPT LOAD (on a Cluster: on the node the command goes to), checking that it compiles
     * and that Redis names it by our digest. Optional: {@link #run} sends the source to a node that lacks it.
     */
    public void load(RedisClusterCommands<String, String> commands) {
        String s = commands.scriptLoad(source);
        if (!sha.equals(s)) {
            throw new IllegalStateException("Redis named script " + name + " " + s + ", expected " + sha);
        }
    }

    /** Runs the script (EVALSHA; EVAL after NOSCRIPT; once more after READONLY). */
    public <T> T run(Connections conns, ScriptOutputType type, String[] keys, String... args) {
        try {
            return runOnce(conns, type, keys, args);
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("READONLY")) {
                throw e;
            }
            conns.readOnly();
            return runOnce(conns, type, keys, args);
        }
    }

    private <T> T runOnce(Connections conns, ScriptOutputType type, String[] keys, String... args) {
        RedisClusterCommands<String, String> c = conns.commands();
        try {
            return c.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            log.info("Redis does not know script '{}' (restart, failover or new node?); sending its source", name);
            return c.eval(source, type, keys, args);
        }
    }
}
