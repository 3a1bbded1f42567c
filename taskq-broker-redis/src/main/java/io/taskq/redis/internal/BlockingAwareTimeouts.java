package io.taskq.redis.internal;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.util.concurrent.TimeUnit;

/**
 * Command timeouts: the regular timeout for ordinary commands, and for blocking pops their own block time plus a
 * grace period, so a blocking command is neither cut short nor left hanging when the server never answers
 * (redis/lettuce#1179). The broker's own blocking pops, and scripts queued behind them, carry their timeout in
 * their {@link TimedKeyword}.
 */
public final class BlockingAwareTimeouts extends TimeoutOptions.TimeoutSource {
    private final long commandTimeoutMs;

    /** Ordinary commands time out after {@code commandTimeoutMs}. */
    public BlockingAwareTimeouts(long commandTimeoutMs) {
        this.commandTimeoutMs = commandTimeoutMs;
    }

    @Override
    public long getTimeout(RedisCommand<?, ?, ?> command) {
        if (command.getType() instanceof TimedKeyword t) {
            return t.timeoutMs();
        }
        if (command.getType() == CommandType.BZPOPMIN && command.getArgs() != null) {
            return blockMs(command.getArgs().toCommandString()) + MarkerWait.GRACE_MS;
        }
        return commandTimeoutMs;
    }

    /** The block time (last argument, seconds) of a blocking pop; a safe maximum if it cannot be read. */
    static long blockMs(String args) {
        int sp = args.lastIndexOf(' ');
        try {
            return (long) Math.ceil(Double.parseDouble(args.substring(sp + 1)) * 1000);
        } catch (NumberFormatException e) {
            return 60_000;
        }
    }

    @Override
    public TimeUnit getTimeUnit() {
        return TimeUnit.MILLISECONDS;
    }
}
