package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.taskq.redis.internal.Partitions.Where;
import io.taskq.internal.LimitSpec;
import io.taskq.redis.internal.Scripts.Name;
import io.taskq.spi.TaskMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues for the broker: a batch is split by partition and into slices of at most {@value #ENQUEUE_SLICE}
 * messages, one enqueue script call each, pipelined; large groups get their sequence numbers reserved first.
 * Thread-safe.
 */
public final class Enqueuer {
    private static final Logger log = LoggerFactory.getLogger(Enqueuer.class);
    /** Most messages per enqueue script call: Redis is never held long, and slices pipeline. */
    static final int ENQUEUE_SLICE = 250;
    /** Groups at least this large get their sequence numbers reserved (one round trip more, for less Redis work). */
    static final int RESERVE_MIN = 32;
    private static final long BAND_L = 1L << 49;
    /** The enqueue script's reply: 1 or 0 per message. */
    private static final Supplier<CommandOutput<String, String, List<Long>>> ENQUEUE_REPLY =
            () -> new IntegerListOutput<>(StringCodec.UTF8);

    private final QueueScripts calls;
    private final Scripts scripts;
    private final Connections conns;
    private final Keys keys;
    private final Partitions partitions;
    private final QueueRegistry registry;
    private final int maxMessageBytes;

    /** An enqueuer for one broker. */
    public Enqueuer(QueueScripts calls, Connections conns, Partitions partitions, QueueRegistry registry,
                    int maxMessageBytes) {
        this.calls = calls;
        this.scripts = calls.scripts();
        this.conns = conns;
        this.keys = calls.keys();
        this.partitions = partitions;
        this.registry = registry;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** One enqueue script call's share of a batch. */
    private static final class EnqueueSlice {
        final Where where;
        final List<Integer> idx;
        /** The reserved sequence number of the slice's first message, 0 if the script numbers them. */
        final long firstSeq;
        CommandArgs<String, String> args;
        CompletableFuture<List<Long>> reply;

        EnqueueSlice(Where where, List<Integer> idx, long firstSeq) {
            this.where = where;
            this.idx = idx;
            this.firstSeq = firstSeq;
        }

        void read(List<Long> r, Boolean[] out) {
            for (int k = 0; k < idx.size(); k++) {
                out[idx.get(k)] = r.get(k) == 1L;
            }
        }
    }

    /** The enqueue script's keys: the queue's, then its uniqueness keys (see enqueue.lua). */
    private String[] enqueueKeys(String physical) {
        String[] q = keys.queue(physical);
        String[] out = Arrays.copyOf(q, q.length + 1);
        out[q.length] = keys.uniques(physical);
        return out;
    }

    /** Why a limited task cannot go to {@code queue} of {@code n} partitions (n > 1). */
    public static String limitsRefusal(String queue, int n) {
        return "queue '" + queue + "' is spread over " + n + " partitions: a limit is counted in one queue's slot"
                + " (docs/limits.md); send limited tasks to an unpartitioned queue";
    }

    /** Enqueues a batch, all or none checked for size first; whether each message was new. */
    public List<Boolean> enqueue(List<TaskMessage> messages) {
        for (TaskMessage m : messages) {
            JobFrame.checkSize(m, maxMessageBytes); // all of the batch or none of it
        }
        for (TaskMessage m : messages) {
            int n = partitions.of(m.queue());
            if (n > 1 && m.body().startsWith(LimitSpec.BODY_PREFIX)) {
                throw new IllegalArgumentException("task " + m.id() + " (" + m.task() + ") carries limits, but "
                        + limitsRefusal(m.queue(), n));
            }
            registry.register(m.queue(), n); // listed before its first task: found by id
        }
        Boolean[] out = new Boolean[messages.size()];
        List<EnqueueSlice> slices = slices(messages);
        if (slices.size() == 1) {
            EnqueueSlice sl = slices.get(0);
            sl.read(scripts.run(conns, Name.ENQUEUE, ENQUEUE_REPLY, enqueueKeys(sl.where.physical()),
                    enqueueArgs(sl, messages)), out);
            return List.of(out);
        }
        // Pipelined: every slice is sent as soon as its arguments are built, so that encoding and sending the
        // next slice overlap Redis running the previous one. Redis runs them in the order sent (one connection;
        // on a Cluster one connection per node), so the order of the batch is kept.
        for (EnqueueSlice sl : slices) {
            sl.args = enqueueArgs(sl, messages);
            sl.reply = scripts.send(conns, Name.ENQUEUE, ENQUEUE_REPLY.get(), enqueueKeys(sl.where.physical()),
                    sl.args);
        }
        readPipelined(slices, out);
        // Refused (NOSCRIPT, READONLY: nothing ran): sent again in order, one at a time.
        for (EnqueueSlice sl : slices) {
            if (sl.reply == null) {
                sl.read(scripts.run(conns, Name.ENQUEUE, ENQUEUE_REPLY, enqueueKeys(sl.where.physical()), sl.args),
                        out);
            }
        }
        return List.of(out);
    }

    /** The batch grouped by partition, each group in slices, with reserved sequence numbers where worth it. */
    private List<EnqueueSlice> slices(List<TaskMessage> messages) {
        Map<Where, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            TaskMessage m = messages.get(i);
            groups.computeIfAbsent(partitions.where(m.queue(), m.id()), q -> new ArrayList<>()).add(i);
        }
        Map<Where, Long> firstSeq = reserveSequence(groups);
        List<EnqueueSlice> slices = new ArrayList<>();
        for (Map.Entry<Where, List<Integer>> g : groups.entrySet()) {
            List<Integer> idx = g.getValue();
            long first = firstSeq.getOrDefault(g.getKey(), 0L);
            for (int from = 0; from < idx.size(); from += ENQUEUE_SLICE) {
                slices.add(new EnqueueSlice(g.getKey(), idx.subList(from, Math.min(idx.size(), from + ENQUEUE_SLICE)),
                        first == 0 ? 0 : first + from));
            }
        }
        return slices;
    }

    /**
     * Reads the pipelined replies, last first; a slice refused before it ran (NOSCRIPT, READONLY) is marked for
     * sending again (its reply set to null); the first other failure is thrown once all are read.
     */
    private static void readPipelined(List<EnqueueSlice> slices, Boolean[] out) {
        RuntimeException failure = null;
        boolean later = false;
        for (int i = slices.size() - 1; i >= 0; i--) {
            EnqueueSlice sl = slices.get(i);
            try {
                if (sl.reply != null) {
                    sl.read(Scripts.await(sl.reply), out);
                    later = true;
                }
            } catch (RuntimeException e) {
                if (!Scripts.refusedBeforeRunning(e)) {
                    failure = failure == null ? e : failure;
                } else {
                    sl.reply = null;
                    if (later && sl.firstSeq == 0) {
                        // Only if the script cache was emptied and refilled by another client between two slices;
                        // reserved sequence numbers keep the order whatever order the slices run in.
                        log.warn("enqueue: a slice was refused ({}) after a later one ran; the batch's order across"
                                + " slices may differ from the submit order", e.getMessage());
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Reserves the sequence numbers of every group of at least {@link #RESERVE_MIN} messages with one {@code INCRBY
     * seq} each (pipelined), so that its script calls get each message's score and job field ready-made instead of
     * building the ~450-byte field in Lua (Redis hashes every new Lua string byte by byte: ≈ a fifth of the script's
     * work per task). The numbers are the ones the script would have taken itself, only taken just before it runs:
     * FIFO within a batch and between batches of one producer is unchanged, and tasks of calls that overlap in time
     * were never ordered. Returns the first number per group; groups left out (small, or READONLY) get 0, and their
     * script takes its own numbers as before.
     */
    private Map<Where, Long> reserveSequence(Map<Where, List<Integer>> groups) {
        Map<Where, CompletableFuture<Long>> sent = new LinkedHashMap<>();
        for (Map.Entry<Where, List<Integer>> g : groups.entrySet()) {
            if (g.getValue().size() >= RESERVE_MIN) {
                sent.put(g.getKey(), conns.async().incrby(keys.queue(g.getKey().physical())[Keys.SEQ],
                        g.getValue().size()).toCompletableFuture());
            }
        }
        Map<Where, Long> first = new LinkedHashMap<>();
        boolean readOnly = false;
        for (Map.Entry<Where, CompletableFuture<Long>> r : sent.entrySet()) {
            try {
                first.put(r.getKey(), Scripts.await(r.getValue()) - groups.get(r.getKey()).size() + 1);
            } catch (RedisCommandExecutionException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("READONLY")) {
                    throw e;
                }
                readOnly = true;
            }
        }
        if (readOnly) {
            conns.readOnly();
        }
        return first;
    }

    /**
     * The enqueue script's arguments after KEYS: the common ones, the message count (negative if the sequence
     * numbers were reserved), then runs of consecutive messages with the same task, priority and eta (count, task,
     * priority, eta; a lone message without the count) each followed by its messages' id and body, or with
     * reserved numbers id, score and job field (the stored layout, {@code score\ntask\nbody}). The messages of one
     * submitAll mostly share all three, so Redis parses and turns into Lua strings two or three arguments per
     * message instead of five (about a seventh of the script's work per task).
     */
    private CommandArgs<String, String> enqueueArgs(EnqueueSlice sl, List<TaskMessage> messages) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String c : calls.common(sl.where.queue())) {
            args.add(c);
        }
        List<Integer> idx = sl.idx;
        args.add(sl.firstSeq == 0 ? idx.size() : -idx.size());
        for (int from = 0; from < idx.size(); ) {
            TaskMessage first = messages.get(idx.get(from));
            int to = from + 1;
            while (to < idx.size() && sameRun(first, messages.get(idx.get(to)))) {
                to++;
            }
            if (idx.size() > 1) {
                args.add(to - from); // a lone message's run goes without its count: every argument costs Redis
            }
            args.add(first.task()).add(first.priority())
                    .add(first.eta() == null ? "" : Long.toString(first.eta().toEpochMilli()));
            for (int k = from; k < to; k++) {
                TaskMessage m = messages.get(idx.get(k));
                if (sl.firstSeq == 0) {
                    args.add(m.id()).add(m.body());
                } else {
                    String score = Long.toString((9L - m.priority()) * BAND_L + sl.firstSeq + k);
                    args.add(m.id()).add(score).add(score + "\n" + m.task() + "\n" + m.body());
                }
            }
            from = to;
        }
        return args;
    }

    private static boolean sameRun(TaskMessage a, TaskMessage b) {
        return a.priority() == b.priority() && a.task().equals(b.task()) && Objects.equals(a.eta(), b.eta());
    }
}
