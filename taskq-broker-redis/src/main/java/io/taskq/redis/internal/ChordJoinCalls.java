package io.taskq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.taskq.internal.JsonText;
import io.taskq.redis.internal.Partitions.Where;
import io.taskq.spi.ChordJoin;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chord joins of a batch of outcomes ({@link Outcome#chordJoin()}), sent as {@code chord-join} calls before the
 * outcomes' finish: one call per callback queue (partition), every key in the callback's slot (the chord's state is
 * under its hash tag), so members may be in any queue and, on a Cluster, any slot. A worker that dies between the
 * join and its finish re-runs the member, whose second join changes nothing (docs/workflows.md).
 */
final class ChordJoinCalls {
    private final QueueScripts calls;
    private final Connections conns;
    private final Partitions partitions;
    private final QueueRegistry registry;

    ChordJoinCalls(QueueScripts calls, Connections conns, Partitions partitions, QueueRegistry registry) {
        this.calls = calls;
        this.conns = conns;
        this.partitions = partitions;
        this.registry = registry;
    }

    /** Sends the joins of {@code outcomes}, if any; throws if a call fails (the outcomes must not be sent then). */
    void send(List<Outcome> outcomes) {
        List<ChordJoin> joins = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.chordJoin() != null) {
                joins.add(o.chordJoin());
            }
        }
        if (joins.isEmpty()) {
            return;
        }
        Map<Where, List<ChordJoin>> byQueue = Partitions.group(joins,
                j -> partitions.where(j.callback().queue(), j.callback().id()));
        for (Map.Entry<Where, List<ChordJoin>> g : byQueue.entrySet()) {
            calls.run(call(g.getKey(), g.getValue()), ScriptOutputType.INTEGER);
        }
    }

    private QueueScripts.Call call(Where w, List<ChordJoin> joins) {
        Keys keys = calls.keys();
        Map<String, Integer> groups = new LinkedHashMap<>();
        groups.put(w.physical(), 0);
        Map<String, Integer> chords = new LinkedHashMap<>();
        List<String> args = calls.common(w.queue());
        List<String> body = new ArrayList<>();
        for (ChordJoin j : joins) {
            chords.putIfAbsent(j.chordId(), chords.size() + 1);
            body.addAll(List.of(Integer.toString(chords.get(j.chordId())), Integer.toString(j.index()),
                    Integer.toString(j.size()), j.succeeded() ? "1" : "0", j.succeeded() ? j.resultJson() : ""));
            message(body, groups, w.physical(), j.callback());
            body.add(j.callback().body());
            body.add(j.resultsSuffix() == null ? "0" : "1");
            body.add(j.resultsSuffix() == null ? "" : j.resultsSuffix());
            body.add(j.callbackFailure() == null ? "" : JsonText.record(j.callbackFailure()));
            body.add(Integer.toString(j.errbacks().size()));
            for (TaskMessage e : j.errbacks()) {
                message(body, groups, w.physical(), e);
                body.add(e.body());
            }
        }
        args.add(Integer.toString(groups.size()));
        args.add(Integer.toString(chords.size()));
        args.add(Integer.toString(joins.size()));
        args.addAll(body);
        List<String> allKeys = new ArrayList<>();
        for (String physical : groups.keySet()) {
            allKeys.addAll(Arrays.asList(keys.queue(physical)));
        }
        for (String chordId : chords.keySet()) {
            allKeys.add(keys.chord(w.physical(), chordId));
        }
        return new QueueScripts.Call(Scripts.Name.CHORD_JOIN, allKeys.toArray(new String[0]), args);
    }

    /** A message's routing fields; its queue (partition) becomes a key group, in the callback's slot. */
    private void message(List<String> body, Map<String, Integer> groups, String callbackPhysical, TaskMessage m) {
        String physical = partitions.partitionOf(m.queue(), m.id());
        if (!groups.containsKey(physical)) {
            Keys keys = calls.keys();
            if (conns.group(keys.base(physical)) != conns.group(keys.base(callbackPhysical))) {
                throw new IllegalArgumentException("chord message " + m.id() + " goes to queue '" + m.queue()
                        + "', another Redis Cluster slot than the chord callback's queue (" + keys.base(callbackPhysical)
                        + "): a chord's error callbacks must go to its callback's queue slot");
            }
            groups.put(physical, groups.size());
        }
        registry.register(m.queue(), partitions.of(m.queue()));
        body.addAll(List.of(Integer.toString(groups.get(physical)), m.queue(), m.id(), m.task(),
                Integer.toString(m.priority()), m.eta() == null ? "" : Long.toString(m.eta().toEpochMilli())));
    }
}
