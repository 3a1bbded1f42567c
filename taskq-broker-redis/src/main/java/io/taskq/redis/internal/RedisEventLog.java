package io.taskq.redis.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.StreamReadOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.spi.EventLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The event stream of one key prefix: a Redis STREAM at {@code {<prefix>}:events} (the prefix's own slot, so a
 * Cluster serves it from one node), bounded with {@code XADD MAXLEN ~}. Appends are pipelined XADDs on the shared
 * connection, one entry per run of up to {@value #PER_ENTRY} events (see {@link EventEntries} for the layout and the
 * positions); reads are XRANGE on the shared connection; waits are {@code XREAD BLOCK} on dedicated connections (a
 * blocking command would stall the shared one), with a client-side timeout of the block time plus a grace, as the
 * marker waits have.
 *
 * <p>The bound is in events, the trim in entries: each XADD trims to the bound divided by the mean size of the entries
 * this log appended lately, so the stream keeps about {@code maxLength} events while the runs' sizes stay alike, and
 * at most about twice as many while they change.
 */
public final class RedisEventLog implements EventLog {
    /** Most events one stream entry holds: a run this long is a few tens of KB, read and trimmed as one. */
    static final int PER_ENTRY = 100;
    /** Most entries one XRANGE or XREAD asks for. */
    private static final int MAX_ENTRIES_PER_READ = 256;

    private final Connections conns;
    private final String key;
    private final int maxLength;
    private final BlockingPool pool;
    /** Moving mean of the events per entry this log appended (1 until it appended any). */
    private volatile double perEntry = 1;

    /**
     * The stream of {@code keys}' prefix.
     *
     * @param maxLength about how many events it keeps (at least 1)
     */
    public RedisEventLog(Connections conns, Keys keys, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("the event stream must keep at least one event");
        }
        this.conns = conns;
        this.key = keys.events();
        this.maxLength = maxLength;
        this.pool = new BlockingPool(conns, "an event stream wait");
    }

    /**
     * One XADD per run of up to {@value #PER_ENTRY} events, all sent before the first reply is awaited.
     *
     * @throws RuntimeException the first failure (the runs before it may be stored)
     */
    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        List<RedisFuture<String>> sent = new ArrayList<>(events.size() / PER_ENTRY + 1);
        for (int from = 0; from < events.size(); from += PER_ENTRY) {
            List<Event> run = events.subList(from, Math.min(events.size(), from + PER_ENTRY));
            perEntry = perEntry * 0.8 + run.size() * 0.2;
            long entries = Math.max(1, (long) Math.ceil(maxLength / perEntry));
            // XADD <key> MAXLEN ~ <entries> * n <count> events <run>, as xadd() sends it, but with the run as
            // bytes: encoded here at once, where the text codec would write tens of KB one character at a time
            // on the connection's I/O thread, which every command shares.
            CommandArgs<String, String> args = new CommandArgs<>(KeyCodec.INSTANCE).addKey(key)
                    .add(CommandKeyword.MAXLEN).add("~").add(entries).add("*")
                    .add(EventEntries.F_COUNT).add(Integer.toString(run.size()))
                    .add(EventEntries.F_EVENTS).add(EventEntries.encode(run).getBytes(StandardCharsets.UTF_8));
            sent.add(conns.async().dispatch(CommandType.XADD, new StatusOutput<>(StringCodec.UTF8), args));
        }
        for (RedisFuture<String> f : sent) {
            join(f);
        }
    }

    @Override
    public EventPage read(String after, int limit) {
        EventEntries.Position from = after == null ? null : EventEntries.parse(after);
        Page page = new Page(from, limit);
        String start = from == null ? "-" : from.index() < 0 ? "(" + from.entryId() : from.entryId();
        int ask = Math.min(limit, 16);
        while (true) {
            List<StreamMessage<String, String>> entries = conns.commands().xrange(key, Range.create(start, "+"),
                    Limit.from(ask));
            page.take(entries);
            if (page.full() || entries.size() < ask) {
                return page.result(after);
            }
            start = "(" + entries.get(entries.size() - 1).getId();
            ask = page.entriesFor(limit);
        }
    }

    /**
     * What {@link #read} returns if that is anything; otherwise one {@code XREAD BLOCK} after the position's entry.
     * Without a position, the newest entry now is the position (one XREVRANGE).
     */
    @Override
    public EventPage await(String after, int limit, Duration maxWait) throws InterruptedException {
        String from = after == null ? newest() : after;
        EventEntries.Position p = EventEntries.parse(from);
        if (p.index() >= 0) {
            EventPage now = read(from, limit);
            if (!now.events().isEmpty() || !from.equals(now.next())) {
                return now;
            }
        }
        long blockMs = maxWait.toMillis();
        if (blockMs <= 0) {
            return new EventPage(List.of(), from);
        }
        Page page = new Page(p, limit);
        // Few entries: a follower that is caught up gets the newest, and one that fell behind reads on with XRANGE.
        page.take(block(p.entryId(), Math.min(limit, 16), blockMs));
        return page.result(from);
    }

    /** The bare id of the newest entry (after all of it), "0-0" for an empty stream. */
    private String newest() {
        List<StreamMessage<String, String>> last = conns.commands().xrevrange(key, Range.create("-", "+"),
                Limit.from(1));
        return last.isEmpty() ? "0-0" : last.get(0).getId();
    }

    /** XREAD BLOCK on a dedicated connection: the entries after {@code entryId}, or none when the block time ends. */
    private List<StreamMessage<String, String>> block(String entryId, int count, long blockMs)
            throws InterruptedException {
        CommandArgs<String, String> args = new CommandArgs<>(KeyCodec.INSTANCE).add("COUNT").add(count)
                .add("BLOCK").add(blockMs).add("STREAMS").addKey(key).add(entryId);
        List<StreamMessage<String, String>> entries = pool.run("XREAD", blockMs,
                new StreamReadOutput<>(StringCodec.UTF8), args);
        return entries == null ? List.of() : entries;
    }

    private static <T> T join(RedisFuture<T> f) {
        try {
            return f.toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** Closes the wait connections not in use; waits under way close theirs when they return. */
    public void close() {
        pool.close();
    }

    /** The events of a read or a wait, gathered from the entries in order, up to the limit. */
    private static final class Page {
        private final EventEntries.Position skip;
        private final int limit;
        private final List<Event> events = new ArrayList<>();
        private int entriesSeen;
        /**
         * The bare id of the last entry read to its end (the asked position's own entry aside): where to go on when
         * the entries held no event, so that a reader is not sent back to entries it cannot read.
         */
        private String lastEntry;

        Page(EventEntries.Position after, int limit) {
            this.skip = after != null && after.index() >= 0 ? after : null;
            this.limit = limit;
        }

        void take(List<StreamMessage<String, String>> entries) {
            for (StreamMessage<String, String> entry : entries) {
                entriesSeen++;
                boolean partOfSkipped = skip != null && entry.getId().equals(skip.entryId());
                for (Event e : EventEntries.decode(entry)) {
                    if (partOfSkipped && EventEntries.parse(e.position()).index() <= skip.index()) {
                        continue;
                    }
                    if (full()) {
                        return;
                    }
                    events.add(e);
                }
                if (!partOfSkipped) {
                    lastEntry = entry.getId();
                }
            }
        }

        boolean full() {
            return events.size() >= limit;
        }

        /** How many entries the next XRANGE asks for: enough for the events still wanted at the mean so far. */
        int entriesFor(int wanted) {
            double mean = entriesSeen == 0 ? 1 : Math.max(1, (double) events.size() / entriesSeen);
            return (int) Math.max(1, Math.min(MAX_ENTRIES_PER_READ, Math.ceil((wanted - events.size()) / mean)));
        }

        EventPage result(String asked) {
            if (!events.isEmpty()) {
                return new EventPage(events, events.get(events.size() - 1).position());
            }
            return new EventPage(List.of(), lastEntry != null ? lastEntry : asked);
        }
    }
}
