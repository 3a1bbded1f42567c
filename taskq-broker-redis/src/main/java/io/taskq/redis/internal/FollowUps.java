package io.taskq.redis.internal;

import io.taskq.spi.Outcome;
import io.taskq.spi.TaskMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The follow-up messages of the outcomes in one {@code finish-claim} call ({@link Outcome#followUps()}), as the
 * script takes them: its KEYS are the finishing queue's 13 keys and then 13 more for every other queue (partition) a
 * follow-up goes to, and its finish arguments end with the follow-ups (see lib-follow-ups.lua,
 * {@code parse_follow_ups}). Every follow-up is checked here before anything is sent, and again by the script before
 * it writes anything.
 *
 * <p>On a Redis Cluster all keys of a script call must be in one slot: a follow-up to a queue (partition) whose keys
 * hash to another slot than the finishing queue's is refused with an {@link IllegalArgumentException}. Queue keys
 * carry the hash tag {@code {prefix:queue}}, so in practice a follow-up goes to the finishing task's own queue (for
 * a partitioned queue, to an id that falls in the same partition). A single server or Sentinel takes any queue.
 */
public final class FollowUps {
    /** Values per follow-up after the count: outcome index, key group, queue, id, task, priority, eta, body. */
    static final int WIDTH = 8;

    private final String[] keys;
    private final List<String> args;

    private FollowUps(String[] keys, List<String> args) {
        this.keys = keys;
        this.args = args;
    }

    /**
     * The keys and arguments for the follow-ups of {@code outcomes}, finished on {@code physical}.
     *
     * @param physicalOf the partition (physical queue) a message goes to
     * @throws IllegalArgumentException if a follow-up is too large, or on a Cluster goes to another slot
     */
    public static FollowUps of(List<Outcome> outcomes, String physical, Keys keys, Connections conns,
                               Function<TaskMessage, String> physicalOf, int maxMessageBytes) {
        Map<String, Integer> groups = new LinkedHashMap<>();
        groups.put(physical, 0);
        int slot = conns.group(keys.base(physical));
        List<String> args = new ArrayList<>();
        args.add("0");
        int count = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            for (TaskMessage m : outcomes.get(i).followUps()) {
                JobFrame.checkSize(m, maxMessageBytes);
                String target = physicalOf.apply(m);
                if (!groups.containsKey(target)) {
                    if (conns.group(keys.base(target)) != slot) {
                        throw new IllegalArgumentException("follow-up " + m.id() + " of task "
                                + outcomes.get(i).delivery().id() + " goes to queue '" + m.queue() + "' (keys "
                                + keys.base(target) + "), another Redis Cluster slot than the finishing queue's ("
                                + keys.base(physical) + "): on a Cluster a follow-up must go to the finishing"
                                + " task's own queue (partition), so that one script can enqueue it with the finish");
                    }
                    groups.put(target, groups.size());
                }
                args.addAll(List.of(Integer.toString(i + 1), Integer.toString(groups.get(target)), m.queue(), m.id(),
                        m.task(), Integer.toString(m.priority()),
                        m.eta() == null ? "" : Long.toString(m.eta().toEpochMilli()), m.body()));
                count++;
            }
        }
        args.set(0, Integer.toString(count));
        List<String> all = new ArrayList<>();
        for (String g : groups.keySet()) {
            all.addAll(Arrays.asList(keys.queue(g)));
        }
        return new FollowUps(all.toArray(new String[0]), args);
    }

    /** The script's KEYS: the finishing queue's, then those of every other queue a follow-up goes to. */
    public String[] keys() {
        return keys;
    }

    /** The follow-up section of the finish arguments (count first). */
    public List<String> args() {
        return args;
    }
}
