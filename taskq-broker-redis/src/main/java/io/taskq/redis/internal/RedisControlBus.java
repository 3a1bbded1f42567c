package io.taskq.redis.internal;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.KeyValueOutput;
import io.lettuce.core.output.StreamReadOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote control on Redis. Commands go on the STREAM {@code {<prefix>}:control} (XADD with {@code MAXLEN ~}
 * {@value #MAX_COMMANDS}: only recent commands matter, each carries its expiry); each listener reads it with
 * {@code XREAD BLOCK} from the newest entry at the time it started listening, on a connection of a
 * {@link BlockingPool}, on a thread of its own. Replies go on a LIST per command,
 * {@code {<prefix>}:control:reply:<id>} (RPUSH, then PEXPIRE), which the requester pops with {@code BLPOP}. Every key
 * is a single key under the prefix's hash tag: one Cluster slot, no cross-slot command, and the key pattern of the
 * prefix's ACL user covers them all.
 */
public final class RedisControlBus implements ControlBus {
    private static final Logger log = LoggerFactory.getLogger(RedisControlBus.class);
    /** About how many commands the stream keeps. */
    static final int MAX_COMMANDS = 1000;
    /** Most entries one XREAD takes. */
    private static final int PER_READ = 100;
    /** How long one XREAD blocks: a closed listener notices within about this. */
    private static final long BLOCK_MS = 1000;
    /** Pause after a failed read, and the interval of the warnings about failing reads. */
    private static final long RETRY_MS = 1000;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Connections conns;
    private final Keys keys;
    private final String stream;
    private final BlockingPool pool;
    private final java.util.Set<Listener> listeners = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The control bus of {@code keys}' prefix. */
    public RedisControlBus(Connections conns, Keys keys) {
        this.conns = conns;
        this.keys = keys;
        this.stream = keys.control();
        this.pool = new BlockingPool(conns, "a control wait");
    }

    @Override
    public void send(ControlCommand command) {
        if (command.arguments().length() > MAX_ARGUMENTS_CHARS) {
            throw new IllegalArgumentException("control command arguments of " + command.arguments().length()
                    + " characters exceed " + MAX_ARGUMENTS_CHARS);
        }
        conns.commands().xadd(stream, new XAddArgs().maxlen(MAX_COMMANDS).approximateTrimming(),
                ControlEntries.encode(command));
    }

    @Override
    public Subscription listen(Consumer<ControlCommand> handler) {
        Listener l = new Listener(handler, newest());
        listeners.add(l);
        l.thread.start();
        return l;
    }

    /** The id of the newest entry now ("0-0" if none); "$" if it cannot be read (commands until the first read are missed). */
    private String newest() {
        try {
            List<StreamMessage<String, String>> last = conns.commands().xrevrange(stream, Range.create("-", "+"),
                    Limit.from(1));
            return last.isEmpty() ? "0-0" : last.get(0).getId();
        } catch (RuntimeException e) {
            log.warn("control stream {}: cannot read its newest entry ({}); listening from the next one", stream,
                    e.toString());
            return "$";
        }
    }

    @Override
    public void reply(String commandId, String reply, Duration ttl) {
        if (reply.length() > MAX_REPLY_CHARS) {
            throw new IllegalArgumentException("control reply of " + reply.length() + " characters exceeds "
                    + MAX_REPLY_CHARS);
        }
        String key = keys.controlReply(commandId);
        RedisFuture<Long> pushed = conns.async().rpush(key, reply);
        RedisFuture<Boolean> expiring = conns.async().pexpire(key, Math.max(1, ttl.toMillis()));
        Scripts.await(pushed.toCompletableFuture());
        Scripts.await(expiring.toCompletableFuture());
    }

    @Override
    public String awaitReply(String commandId, Duration maxWait) throws InterruptedException {
        String key = keys.controlReply(commandId);
        long waitMs = maxWait.toMillis();
        if (waitMs < 1) {
            return conns.commands().lpop(key);
        }
        CommandArgs<String, String> args = new CommandArgs<>(KeyCodec.INSTANCE).addKey(key).add(waitMs / 1000.0);
        KeyValue<String, String> kv = pool.run("BLPOP", waitMs, new KeyValueOutput<>(StringCodec.UTF8), args);
        return kv == null || !kv.hasValue() ? null : kv.getValue();
    }

    /** Stops the listeners and closes the connections not in use (the broker closes). */
    public void close() {
        for (Listener l : listeners) {
            l.close();
        }
        pool.close();
    }

    /** XREAD BLOCK on a pooled connection: the entries after {@code after}, or none when the block time ends. */
    private List<StreamMessage<String, String>> read(String after) throws InterruptedException {
        CommandArgs<String, String> args = new CommandArgs<>(KeyCodec.INSTANCE).add("COUNT").add(PER_READ)
                .add("BLOCK").add(BLOCK_MS).add("STREAMS").addKey(stream).add(after);
        List<StreamMessage<String, String>> entries = pool.run("XREAD", BLOCK_MS,
                new StreamReadOutput<>(StringCodec.UTF8), args);
        return entries == null ? List.of() : entries;
    }

    /** One listener: a thread that reads the stream on from where it started and hands each command on. */
    private final class Listener implements Subscription, Runnable {
        private final Consumer<ControlCommand> handler;
        private final Thread thread;
        private volatile boolean closed;
        /** The id of the last entry read ("$" until the first, if the newest could not be read). */
        private String after;
        private long warnedAt = System.nanoTime() - WARN_EVERY_NANOS;

        Listener(Consumer<ControlCommand> handler, String after) {
            this.handler = handler;
            this.after = after;
            this.thread = new Thread(this, "taskq-control-" + stream);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!closed) {
                try {
                    if ("$".equals(after)) {
                        // Read from the newest entry as soon as that works, so that no command goes by unread.
                        after = newest();
                    }
                    List<StreamMessage<String, String>> entries = read(after);
                    for (StreamMessage<String, String> e : entries) {
                        after = e.getId();
                        dispatch(e);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    failed(e);
                }
            }
        }

        private void dispatch(StreamMessage<String, String> entry) {
            ControlCommand c;
            try {
                c = ControlEntries.decode(entry.getBody());
            } catch (IllegalArgumentException e) {
                log.warn("control stream {}: entry {} skipped: {}", stream, entry.getId(), e.getMessage());
                return;
            }
            try {
                handler.accept(c);
            } catch (RuntimeException e) {
                log.warn("control command {} ({}) failed: {}", c.id(), c.name(), e.toString());
            }
        }

        private void failed(RuntimeException e) {
            long now = System.nanoTime();
            if (now - warnedAt >= WARN_EVERY_NANOS) {
                warnedAt = now;
                log.warn("control stream {}: reading failed, retrying every {} ms: {}", stream, RETRY_MS,
                        e.toString());
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException ie) {
                closed = true;
            }
        }

        @Override
        public void close() {
            closed = true;
            listeners.remove(this);
            thread.interrupt();
        }
    }
}
