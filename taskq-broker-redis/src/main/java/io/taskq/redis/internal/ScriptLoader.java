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
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that reads the Lua resources (under {@code /io/taskq/redis/}) and names them by SHA-1, the digest
 * EVALSHA calls a script by: the queue scripts ({@link Scripts}, with the shared prelude) and the schedule store's
 * stand-alone scripts ({@link Script}) alike, so that what Redis caches and what the client asks for cannot differ.
 */
public final class ScriptLoader {
    private static final Logger log = LoggerFactory.getLogger(ScriptLoader.class);
    private static final String DIR = "/io/taskq/redis/";

    /**
     * The resources the shared prelude of the queue scripts is made of, in the order they are joined: a Lua
     * {@code local function} is visible only to code after it, so each part may use only the parts before it.
     * <ol>
     *   <li>{@code lib-state}: what every call sets (keys, common arguments), the time format, limits</li>
     *   <li>{@code lib-format}: chunked commands, the attempts and job fields, integer and JSON text</li>
     *   <li>{@code lib-records}: task records, final records (stored, announced, trimmed)</li>
     *   <li>{@code lib-dead}: dead letters, and the checks that dead-letter malformed job fields</li>
     *   <li>{@code lib-reap}: markers, wake-up times, reaping expired leases, promoting due tasks, ownership</li>
     *   <li>{@code lib-finish}: the started and finish bodies</li>
     *   <li>{@code lib-follow-ups}: key groups, admission of new ids, the follow-ups of outcomes</li>
     *   <li>{@code lib-claim}: the claim body</li>
     *   <li>{@code lib-begin}: {@code begin()}, run first in every call</li>
     * </ol>
     * Each part's first line names its place in this list.
     */
    public static final List<String> PRELUDE_PARTS = List.of("lib-state", "lib-format", "lib-records", "lib-dead",
            "lib-reap", "lib-finish", "lib-follow-ups", "lib-claim", "lib-begin");

    private ScriptLoader() {
    }

    /** The text of the resource {@code /io/taskq/redis/<name>.lua}. */
    public static String read(String name) {
        String path = DIR + name + ".lua";
        try (InputStream in = ScriptLoader.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shared prelude of the queue scripts: the {@link #PRELUDE_PARTS} one after the other, in their order (each
     * ends with a line break, so nothing is put between them).
     */
    public static String prelude() {
        StringBuilder s = new StringBuilder();
        for (String part : PRELUDE_PARTS) {
            s.append(read(part));
        }
        return s.toString();
    }

    /** The SHA-1 digest of a script's text, in lower-case hex: the name Redis gives it. */
    public static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stand-alone script resource (no prelude), such as the schedule store's. */
    public static Script script(String name) {
        return new Script(name, read(name));
    }

    /**
     * One script outside the queue scripts' set, with their life cycle: run with EVALSHA by its digest; a server or
     * Cluster node that answers NOSCRIPT (restarted, failed over, new node, SCRIPT FLUSH) gets EVAL with the source,
     * which also caches it there; a write refused with READONLY (demoted Sentinel master) makes the connections
     * look the master up again and is tried once more. Thread-safe.
     */
    public static final class Script {
        private final String name;
        private final String source;
        private final String sha;

        Script(String name, String source) {
            this.name = name;
            this.source = source;
            this.sha = sha1(source);
        }

        /** The script's name (its resource name without {@code .lua}). */
        public String name() {
            return name;
        }

        /** The script's source, for documentation and tests. */
        public String source() {
            return source;
        }

        /** The digest EVALSHA calls it by. */
        public String sha() {
            return sha;
        }

        /**
         * Loads the script with SCRIPT LOAD (on a Cluster: on the node the command goes to), checking that it
         * compiles and that Redis names it by our digest. Optional: {@link #run} sends the source to a node that
         * lacks it.
         */
        public void load(RedisClusterCommands<String, String> commands) {
            checkLoaded(name, commands.scriptLoad(source), sha);
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
                log.info("Redis does not know script '{}' (restart, failover or new node?); sending its source",
                        name);
                return c.eval(source, type, keys, args);
            }
        }
    }

    /** Fails if Redis named a loaded script other than by the digest computed here. */
    static void checkLoaded(String name, String redisSha, String sha) {
        if (!sha.equals(redisSha)) {
            throw new IllegalStateException("Redis named script " + name + " " + redisSha + ", expected " + sha);
        }
    }
}
