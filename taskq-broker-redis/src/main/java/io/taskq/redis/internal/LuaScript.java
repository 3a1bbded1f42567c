package io.taskq.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lua script resource (under {@code /io/taskq/redis/}): loaded with SCRIPT LOAD once, run with EVALSHA, and
 * loaded again when Redis answers NOSCRIPT (a restarted or failed-over server has an empty script cache).
 *
 * <p>The same life cycle as the broker's {@link Scripts}, for scripts outside its fixed set (the schedule store's).
 * Thread-safe.
 */
public final class LuaScript {
    private static final Logger log = LoggerFactory.getLogger(LuaScript.class);

    private final String name;
    private final String source;
    private volatile String sha;

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
    }

    /** The script's name (its resource name without {@code .lua}). */
    public String name() {
        return name;
    }

    /** The script's source, for documentation and tests. */
    public String source() {
        return source;
    }

    /** Loads the script into the server's script cache (start-up, and after NOSCRIPT). */
    public void load(StatefulRedisConnection<String, String> conn) {
        sha = conn.sync().scriptLoad(source);
    }

    /** Runs the script by EVALSHA, loading it again once if Redis lost its script cache. */
    public <T> T run(StatefulRedisConnection<String, String> conn, ScriptOutputType type, String[] keys,
                     String... args) {
        String s = sha;
        if (s == null) {
            load(conn);
            s = sha;
        }
        try {
            return conn.sync().evalsha(s, type, keys, args);
        } catch (RedisNoScriptException e) {
            log.info("Redis lost the script cache (restart or failover?); loading script '{}' again", name);
            load(conn);
            return conn.sync().evalsha(sha, type, keys, args);
        }
    }
}
