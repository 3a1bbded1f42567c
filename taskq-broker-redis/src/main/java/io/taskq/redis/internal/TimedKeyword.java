package io.taskq.redis.internal;

import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;

/**
 * A command keyword (BZPOPMIN, EVALSHA) that carries its own client-side timeout, read by
 * {@link BlockingAwareTimeouts}: a blocking pop waits its block time plus a grace, and a script queued behind it on
 * the same connection waits as long as the pop and then its own run. Known when the command is built, so Lettuce's
 * timeout hook need not render the command's arguments as text to find out.
 */
public final class TimedKeyword implements ProtocolKeyword {
    private final String name;
    private final byte[] bytes;
    private final long timeoutMs;

    /** The command {@code name} with a timeout of {@code timeoutMs}. */
    public TimedKeyword(String name, long timeoutMs) {
        this.name = name;
        this.bytes = name.getBytes(StandardCharsets.US_ASCII);
        this.timeoutMs = timeoutMs;
    }

    /** How long the caller waits for the reply. */
    public long timeoutMs() {
        return timeoutMs;
    }

    @Override
    public byte[] getBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return name;
    }
}
