package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Lua scripts. On Redis 7 and later the queue scripts are one Redis Functions library, loaded once per
 * server (on a Cluster, per master) and called with FCALL: an EVAL script makes every one of the shared prelude's
 * definitions anew on every call (≈ 6 µs of Redis CPU per call, a third of a lone enqueue), a function library once.
 * Elsewhere (Redis 6.2, an ACL without {@code +fcall} or {@code +function|load}) every script runs with EVALSHA by
 * its SHA-1 (see {@link ScriptLoader}). A node that does not know a script or the library (NOSCRIPT, "Function not
 * found": a restarted server, a new Cluster node, SCRIPT or FUNCTION FLUSH) gets the call as EVAL with the source,
 * and the library is loaded again.
 */
public final class Scripts {
    private static final Logger log = LoggerFactory.getLogger(Scripts.class);

    /** The scripts; queue scripts get the shared prelude ({@link ScriptLoader#prelude}) prepended. */
    public enum Name {
        /** Batch enqueue. */
        ENQUEUE("enqueue", true),
        /** Promote, reap, claim. */
        CLAIM("claim", true),
        /** Mark claims STARTED. */
        STARTED("started", true),
        /** Store a running attempt's progress in its STARTED record. */
        PROGRESS("progress", true),
        /** Extend leases, report lost and revoked. */
        RENEW("renew", true),
        /** Start reports, fenced finish and a claim for the freed slots, in one call. */
        FINISH_CLAIM("finish-claim", true),
        /** Chord members' completions: the join that completes a chord enqueues its callback. */
        CHORD_JOIN("chord-join", true),
        /** Hand claims back. */
        RELEASE("release", true),
        /** Revoke one task. */
        REVOKE("revoke", true),
        /** Dead letter back to ready. */
        RESUBMIT("resubmit", true),
        /** Records, stats, dead letters, purge. */
        INSPECT("inspect", true),
        /** Bounded steps of operations on many tasks: purge of the ready tasks, dead letters by filter. */
        ADMIN("admin", true),
        /** Where ids are in a queue (lookup by id). */
        LOOKUP("lookup", true),
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
    /** The queue scripts as one function library, named after its own digest (versions side by side). */
    private final String library;
    private final String libraryName;
    private final Map<Name, String> functionNames = new EnumMap<>(Name.class);
    /** Whether queue scripts are called with FCALL: the library loaded at start. */
    private volatile boolean functions;

    /** Reads the script resources and computes their SHA1 digests (what EVALSHA names them by). */
    public Scripts() {
        String lib = ScriptLoader.prelude();
        StringBuilder bodies = new StringBuilder();
        StringBuilder registrations = new StringBuilder();
        for (Name n : Name.values()) {
            String body = ScriptLoader.read(n.file);
            String src = n.queueScript ? lib + "\nbegin()\n" + body : body;
            sources.put(n, src);
            shas.put(n, ScriptLoader.sha1(src));
            if (n.queueScript) {
                String run = "run_" + n.file.replace('-', '_');
                bodies.append("local function ").append(run).append("()\n").append(body).append("\nend\n");
                registrations.append("register('%s_").append(n.file.replace('-', '_')).append("', ").append(run)
                        .append(")\n");
            }
        }
        // KEYS and ARGV are the globals an EVAL script reads; a function gets them as arguments, and sets these
        // upvalues (calls never overlap: Redis runs one at a time).
        String code = "local KEYS, ARGV\n" + lib + "\n" + bodies
                + "local function register(name, run)\n"
                + "  redis.register_function(name, function(keys, args)\n"
                + "    KEYS, ARGV = keys, args\n"
                + "    begin()\n"
                + "    return run()\n"
                + "  end)\n"
                + "end\n" + registrations
                + "redis.register_function('%s_ping', function() return 1 end)\n";
        this.libraryName = "taskq_" + ScriptLoader.sha1(code).substring(0, 16);
        String named = code.replace("register('%s_", "register('" + libraryName + "_")
                .replace("register_function('%s_", "register_function('" + libraryName + "_");
        this.library = "#!lua name=" + libraryName + "\n" + named;
        for (Name n : Name.values()) {
            if (n.queueScript) {
                functionNames.put(n, libraryName + "_" + n.file.replace('-', '_'));
            }
        }
    }

    /**
     * Loads every script into the script cache of the server (or, on a Cluster, of the node) the shared connection
     * talks to, checking that they compile and that their digests match ours. Optional: {@link #run} loads a
     * script on whichever node answers NOSCRIPT.
     */
    public void loadAll(RedisClusterCommands<String, String> commands) {
        for (Name n : Name.values()) {
            ScriptLoader.checkLoaded(n.toString(), commands.scriptLoad(sources.get(n)), shas.get(n));
        }
    }

    /**
     * Loads the queue scripts' function library on the server (on a Cluster, on every master) and, if that worked,
     * calls them with FCALL from now on. A library of the same name already there is the same code (the name is its
     * digest). Refused (Redis before 7, an ACL without {@code +function|load} or {@code +fcall}), or with
     * {@code enabled} false, the scripts stay on EVALSHA; nothing else changes.
     */
    public void loadFunctions(Connections conns, boolean enabled) {
        if (!enabled) {
            functions = false;
            return;
        }
        try {
            loadLibrary(conns);
            // A user may load functions but not call them: find out now, not on the first task.
            Long one = conns.commands().fcall(libraryName + "_ping", ScriptOutputType.INTEGER, new String[0]);
            functions = one != null && one == 1L;
        } catch (RedisCommandExecutionException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("NOPERM") || m.contains("unknown command") || m.contains("no permissions")) {
                log.info("scripts run with EVALSHA: Redis refused its functions ({})", m);
            } else {
                log.warn("scripts run with EVALSHA: loading the function library failed ({})", m);
            }
            functions = false;
        } catch (RuntimeException e) {
            // A Cluster master unreachable at start, say: the broker starts anyway, on EVALSHA, which needs nothing
            // loaded in advance.
            log.warn("scripts run with EVALSHA: loading the function library failed ({})", e.toString());
            functions = false;
        }
    }

    /** Whether queue scripts are called as functions (FCALL). */
    public boolean functions() {
        return functions;
    }

    private void loadLibrary(Connections conns) {
        for (RedisClusterCommands<String, String> c : conns.masters()) {
            try {
                c.functionLoad(library);
            } catch (RedisCommandExecutionException e) {
                if (e.getMessage() == null || !e.getMessage().contains("already exists")) {
                    throw e;
                }
            }
        }
    }

    /**
     * A queue script whose function the node does not know: load the library again (on every master). If that
     * fails, the broker goes back to EVALSHA for good rather than try again on every call.
     */
    private void reloadLibrary(Connections conns) {
        try {
            loadLibrary(conns);
        } catch (RuntimeException e) {
            functions = false;
            log.warn("reloading the function library failed ({}); scripts run with EVALSHA from now on",
                    e.toString());
        }
    }

    /** The source of a script, for documentation and tests. */
    public String source(Name n) {
        return sources.get(n);
    }

    /**
     * Sends a script with EVALSHA without waiting; its arguments after KEYS are given ready for the wire. Lettuce
     * writes an argument added with {@code CommandArgs.add(String)} with one {@code String.getBytes(UTF_8)}, where a
     * value of the connection's String codec is measured and then encoded character by character: for many large
     * arguments (task bodies) that was most of the I/O thread's time. NOSCRIPT and READONLY are left to the caller,
     * as for {@link #send}.
     */
    public <T> CompletableFuture<T> send(Connections conns, Name n, CommandOutput<String, String, T> output,
                                         String[] keys, CommandArgs<String, String> args) {
        if (functions && n.queueScript) {
            return dispatch(conns, CommandType.FCALL, functionNames.get(n), output, keys, args);
        }
        return dispatch(conns, CommandType.EVALSHA, shas.get(n), output, keys, args);
    }

    /**
     * {@link #run} of a script with a MULTI reply that waits for the reply even if the thread is interrupted meanwhile
     * (the interrupt is kept for the caller): for claims, which run whether or not anyone waits, so that a stopping
     * worker gets what its claim in flight leased and hands it back instead of leaving it leased to nobody for a
     * whole lease. Bounded by the command timeout.
     */
    public java.util.List<Object> runWaitingOut(Connections conns, Name n, String[] keys, String... args) {
        CompletableFuture<java.util.List<Object>> f = send(conns, n, ScriptOutputType.MULTI, keys, args);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (refusedBeforeRunning(c)) {
                        // It did not run: the regular path loads the script (or follows the failover) and runs it.
                        return run(conns, n, ScriptOutputType.MULTI, keys, args);
                    }
                    throw c instanceof RuntimeException re ? re : new RedisException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #run} with arguments as for {@link #send(Connections, Name, CommandOutput, String[], CommandArgs)}. */
    public <T> T run(Connections conns, Name n, Supplier<CommandOutput<String, String, T>> output, String[] keys,
                     CommandArgs<String, String> args) {
        return againIfReadOnly(conns, () -> runOnce(conns, n, output, keys, args));
    }

    /** Runs {@code call}, and once more after telling the connections if it was refused with READONLY. */
    private static <T> T againIfReadOnly(Connections conns, Supplier<T> call) {
        try {
            return call.get();
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("READONLY")) {
                throw e;
            }
            conns.readOnly();
            return call.get();
        }
    }

    private <T> T runOnce(Connections conns, Name n, Supplier<CommandOutput<String, String, T>> output,
                          String[] keys, CommandArgs<String, String> args) {
        try {
            return await(send(conns, n, output.get(), keys, args));
        } catch (RedisNoScriptException e) {
            log.info("Redis does not know script {} (restart, failover or new node?); sending its source", n);
            return await(dispatch(conns, CommandType.EVAL, sources.get(n), output.get(), keys, args));
        } catch (RedisCommandExecutionException e) {
            if (!functionNotFound(e)) {
                throw e;
            }
            log.info("Redis does not know function {} (restart, failover or new node?); loading the library and"
                    + " sending this call's source", functionNames.get(n));
            reloadLibrary(conns);
            return await(dispatch(conns, CommandType.EVAL, sources.get(n), output.get(), keys, args));
        }
    }

    private static boolean functionNotFound(Throwable e) {
        return e instanceof RedisCommandExecutionException && e.getMessage() != null
                && e.getMessage().startsWith("ERR Function not found");
    }

    private static <T> CompletableFuture<T> dispatch(Connections conns, CommandType type, String script,
                                                     CommandOutput<String, String, T> output, String[] keys,
                                                     CommandArgs<String, String> args) {
        // Keys as keys: a Cluster connection routes the call by its first key.
        CommandArgs<String, String> a = new CommandArgs<>(KeyCodec.INSTANCE).add(script).add(keys.length)
                .addKeys(keys).addAll(args);
        return conns.async().dispatch(type, output, a).toCompletableFuture();
    }

    /** Waits for a reply sent without waiting; failures surface as the exceptions the synchronous API throws. */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new RedisException(c);
        }
    }

    /**
     * Runs a script with EVALSHA. On NOSCRIPT (restart, failover to a replica that never saw the script, a new
     * Cluster node, SCRIPT FLUSH) it runs EVAL with the source instead, on the same node (EVAL is routed by the
     * first key like EVALSHA), which also caches the script there. On READONLY (a demoted master) the connections
     * are told, and the call is tried once more: a refused write did not run.
     */
    public <T> T run(Connections conns, Name n, ScriptOutputType type, String[] keys, String... args) {
        return run(conns, n, () -> output(type), keys, values(args));
    }

    /**
     * Sends a script with EVALSHA on the shared connection without waiting, so that several calls can be in
     * flight at once (pipelined: Redis runs them in the order sent). NOSCRIPT and READONLY are not handled here:
     * a call refused with either did not run, and the caller repeats it with {@link #run}.
     */
    public <T> CompletableFuture<T> send(Connections conns, Name n, ScriptOutputType type, String[] keys,
                                         String... args) {
        return send(conns, n, output(type), keys, values(args));
    }

    /** Arguments written as {@link #send(Connections, Name, CommandOutput, String[], CommandArgs)} explains. */
    private static CommandArgs<String, String> values(String[] args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String v : args) {
            a.add(v == null ? "" : v); // as the String codec writes null: empty
        }
        return a;
    }

    /** The reply decoder Lettuce uses for a script's declared output type. */
    @SuppressWarnings("unchecked")
    private static <T> CommandOutput<String, String, T> output(ScriptOutputType type) {
        CommandOutput<String, String, ?> o = switch (type) {
            case BOOLEAN -> new BooleanOutput<>(StringCodec.UTF8);
            case INTEGER -> new IntegerOutput<>(StringCodec.UTF8);
            case STATUS -> new StatusOutput<>(StringCodec.UTF8);
            case MULTI -> new NestedMultiOutput<>(StringCodec.UTF8);
            case VALUE -> new ValueOutput<>(StringCodec.UTF8);
            default -> throw new IllegalArgumentException("script output " + type);
        };
        return (CommandOutput<String, String, T>) o;
    }

    /**
     * EVALSHA sent on {@code async}'s connection right behind a blocking command there: Redis runs it the moment the
     * blocking command returns, without another round trip. Its client-side timeout is {@code timeoutMs} (the
     * blocking command's block time and grace, plus the regular timeout), carried by its {@link TimedKeyword}.
     * NOSCRIPT and READONLY are left to the caller, as for {@link #send}. The reply must be a MULTI (nested list).
     */
    public CompletableFuture<java.util.List<Object>> sendBehindWait(RedisClusterAsyncCommands<String, String> async,
                                                                   Name n, String[] keys, String[] args,
                                                                   long timeoutMs) {
        boolean fcall = functions && n.queueScript;
        CommandArgs<String, String> a = new CommandArgs<>(KeyCodec.INSTANCE)
                .add(fcall ? functionNames.get(n) : shas.get(n)).add(keys.length).addKeys(keys).addAll(values(args));
        RedisFuture<java.util.List<Object>> f = async.dispatch(new TimedKeyword(fcall ? "FCALL" : "EVALSHA",
                timeoutMs), new NestedMultiOutput<>(StringCodec.UTF8), a);
        return f.toCompletableFuture();
    }

    /**
     * Whether a failed call was refused before it ran (NOSCRIPT, "Function not found", READONLY), so that
     * {@link #run} may repeat it.
     */
    public static boolean refusedBeforeRunning(Throwable e) {
        if (e instanceof RedisNoScriptException || functionNotFound(e)) {
            return true;
        }
        return e instanceof RedisCommandExecutionException && e.getMessage() != null
                && (e.getMessage().startsWith("READONLY") || e.getMessage().startsWith("NOSCRIPT"));
    }
}
