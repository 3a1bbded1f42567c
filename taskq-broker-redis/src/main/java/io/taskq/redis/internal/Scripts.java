package io.taskq.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Lua scripts: loaded once with SCRIPT LOAD, run with EVALSHA, and loaded again when Redis answers
 * NOSCRIPT (a restarted or failed-over server has an empty script cache).
 */
public final class Scripts {
    private static final Logger log = LoggerFactory.getLogger(Scripts.class);

    /** The scripts; queue scripts get the shared prelude lib.lua prepended. */
    public enum Name {
        /** Batch enqueue. */
        ENQUEUE("enqueue", true),
        /** Promote, reap, claim. */
        CLAIM("claim", true),
        /** Mark claims STARTED. */
        STARTED("started", true),
        /** Extend leases, report lost and revoked. */
        RENEW("renew", true),
        /** Fenced finish. */
        FINISH("finish", true),
        /** Hand claims back. */
        RELEASE("release", true),
        /** Revoke one task. */
        REVOKE("revoke", true),
        /** Dead letter back to ready. */
        RESUBMIT("resubmit", true),
        /** Records, stats, dead letters, purge. */
        INSPECT("inspect", true),
        /** Named leases. */
        LEASE("lease", false);

        final String file;
        final boolean queueScript;

        Name(String file, boolean queueScript) {
            this.file = file;
            this.queueScript = queueScript;
        }
    }

    private final Map<Name, String> sources = new EnumMap<>(Name.class);
    private final Map<Name, String> shas = new EnumMap<>(Name.class);

    /** Reads the script resources. */
    public Scripts() {
        String lib = resource("lib");
        for (Name n : Name.values()) {
            sources.put(n, n.queueScript ? lib + "\n" + resource(n.file) : resource(n.file));
        }
    }

    private static String resource(String name) {
        String path = "/io/taskq/redis/" + name + ".lua";
        try (InputStream in = Scripts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads every script (start-up, and after NOSCRIPT). */
    public synchronized void loadAll(StatefulRedisConnection<String, String> conn) {
        for (Name n : Name.values()) {
            shas.put(n, conn.sync().scriptLoad(sources.get(n)));
        }
    }

    private synchronized String sha(Name n) {
        return shas.get(n);
    }

    /** The source of a script, for documentation and tests. */
    public String source(Name n) {
        return sources.get(n);
    }

    /** Runs a script, reloading the cache once if Redis lost it. */
    public <T> T run(StatefulRedisConnection<String, String> conn, Name n, ScriptOutputType type, String[] keys,
                     String... args) {
        try {
            return conn.sync().evalsha(sha(n), type, keys, args);
        } catch (RedisNoScriptException e) {
            log.info("Redis lost the script cache (restart or failover?); loading the scripts again");
            loadAll(conn);
            return conn.sync().evalsha(sha(n), type, keys, args);
        }
    }
}
