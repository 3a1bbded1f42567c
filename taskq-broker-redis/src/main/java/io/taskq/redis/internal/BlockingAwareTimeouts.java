package io.taskq.redis.internal;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.util.concurrent.TimeUnit;

/**
 * Command timeouts: the regular timeout for ordinary commands, and for blocking pops their own block time plus a
 * grace period, so a blocking command is neither cut short nor left hanging when the server never answers
 * (redis/lettuce#1179). A script queued behind a blocking pop on the same connection waits as long as the pop
 * and then its own run, so it carries its timeout with it ({@link Scripts.BehindWait}).
 */
public final class BlockingAwareTimeouts extends TimeoutOptions.TimeoutSource {
    private final long commandTimeoutMs;

    /** Ordinary commands time out after {@code commandTimeoutMs}. */
    public BlockingAwareTimeouts(long commandTimeoutMs) {
        this.commandTimeoutMs = commandTimeoutMs;
    }

    @Override
    public long getTimeout(RedisCommand<?, ?, ?> command) {
        if (command.getType() == CommandType.BZPOPMIN && command.getArgs() != null) {
            return blockMs(command.getArgs().toCommandString()) + MarkerWait.GRACE_MS;
        }
        if (command.getType() instanceof Scripts.BehindWait w) {
            return w.timeoutMs();
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
