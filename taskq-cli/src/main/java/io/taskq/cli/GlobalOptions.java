package io.taskq.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes (inherited by the subcommands, so they go before or after the command's name):
 * where Redis is, the key prefix, the credentials and the output format. Each connection option defaults to its
 * environment variable ({@link ConnectionSettings}).
 */
final class GlobalOptions {
    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URI",
            description = "Redis URI (default: $TASKQ_REDIS_URL). Prefer the variable: a password on the command"
                    + " line shows in the process list.")
    String url;

    @Option(names = "--cluster", scope = ScopeType.INHERIT, split = ",", paramLabel = "URI",
            description = "Redis Cluster seed nodes, comma-separated (default: $TASKQ_REDIS_CLUSTER).")
    List<String> cluster;

    @Option(names = {"-p", "--prefix"}, scope = ScopeType.INHERIT, paramLabel = "PREFIX",
            description = "Key prefix, the environment's namespace (default: $TASKQ_KEY_PREFIX, else taskq).")
    String keyPrefix;

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "USER",
            description = "Redis ACL user, overriding the URI's (default: $TASKQ_REDIS_USERNAME).")
    String username;

    @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Read the Redis password from this file (default: $TASKQ_REDIS_PASSWORD, else the"
                    + " URI's).")
    Path passwordFile;

    @Option(names = "--wait", scope = ScopeType.INHERIT, paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long to wait for a Redis that is not reachable yet (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print JSON for scripts instead of tables (events: one object per line).")
    boolean json;
}
