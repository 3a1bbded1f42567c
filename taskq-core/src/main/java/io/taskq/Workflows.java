package io.taskq;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taskq.internal.DataCodec;
import io.taskq.internal.Embed;
import io.taskq.internal.Ids;
import io.taskq.internal.Json;
import io.taskq.internal.TaskDefinition;
import io.taskq.internal.TaskRegistry;
import io.taskq.spi.Broker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The submit side of workflows: turns a request's callbacks, error callbacks and chain into the envelope's embed
 * ({@link Embed}), checking every signature as a submit checks a request (task names, arity of known tasks, encodable
 * arguments, bounds) and that the broker can enqueue each follow-up with the outcome it follows
 * ({@link Broker#followUpRefusal}); and submits a {@link Chain}. Every follow-up's id is fixed here, derived from
 * its parent's ({@link Ids#followUp}).
 */
final class Workflows {
    private final Taskq taskq;
    private final Broker broker;
    private final TaskRegistry registry;
    private final DataCodec data;
    private final LimitPlanner limits;

    Workflows(Taskq taskq, Broker broker, TaskRegistry registry, DataCodec data, LimitPlanner limits) {
        this.limits = limits;
        this.taskq = taskq;
        this.broker = broker;
        this.registry = registry;
        this.data = data;
    }

    /** Submits the chain: its first step carries the others; the handle follows the last. */
    <R> ChainHandle<R> submit(Chain<R> chain) {
        TaskRequest<?> first = chain.toRequest();
        return new ChainHandle<>(chainSteps(first, taskq.submit(first)));
    }

    /** The handles of a chain whose first step {@code first} was submitted as {@code h}. */
    private List<TaskHandle<?>> chainSteps(TaskRequest<?> first, TaskHandle<?> h) {
        List<TaskHandle<?>> steps = new ArrayList<>(1 + first.chainRest().size());
        steps.add(h);
        String id = h.id();
        for (CanvasStep s : first.chainRest()) {
            id = s.request().id().orElse(Ids.followUp(id, "chain", 0));
            steps.add(new TaskHandle<>(id, queueOf(s.request(), definition(s.request())),
                    s.request().resultType(), taskq, h.created()));
        }
        return steps;
    }

    /** Submits a group's members in batches of {@link Group#BATCH}, their ids derived from the group's. */
    <T> GroupHandle<T> submit(Group<T> group) {
        String id = group.fixedId() != null ? group.fixedId() : Ids.newTaskId();
        return submitMembers(id, group.members(), null);
    }

    /**
     * Submits a chord: the callback's signature is checked and made once, then every member carries a reference to
     * the chord with it (its index, the header's size); the callback's id derives from the chord's.
     */
    <R> ChordHandle<R> submit(Chord<R> chord) {
        broker.chordRefusal().ifPresent(why -> {
            throw new IllegalArgumentException("this broker cannot run chords: " + why);
        });
        Group<?> header = chord.header();
        String id = header.fixedId() != null ? header.fixedId() : Ids.newTaskId();
        CanvasStep cb = chord.callbackStep();
        String cbId = cb.request().id().orElse(Ids.followUp(id, "chord", 0));
        Embed.Step callback = step(cb, cbId, 1, new int[] {0});
        GroupHandle<?> members = submitMembers(id, header.members(), callback);
        TaskHandle<R> handle = new TaskHandle<>(cbId, callback.queue(), cb.request().resultType(), taskq, true);
        return new ChordHandle<>(members, handle);
    }

    @SuppressWarnings("unchecked")
    private <T> GroupHandle<T> submitMembers(String id, List<TaskRequest<?>> members, Embed.Step chordCallback) {
        List<TaskHandle<T>> handles = new ArrayList<>(members.size());
        for (int from = 0; from < members.size(); from += Group.BATCH) {
            List<TaskRequest<?>> batch = new ArrayList<>(Math.min(Group.BATCH, members.size() - from));
            for (int i = from; i < Math.min(members.size(), from + Group.BATCH); i++) {
                TaskRequest<?> m = members.get(i);
                m = (m.id().isPresent() ? m : m.id(Ids.followUp(id, "group", i))).withRoot(id);
                if (chordCallback != null) {
                    m = m.withChord(new Embed.ChordRef(id, i, members.size(), chordCallback, List.of()));
                }
                batch.add(m);
            }
            List<TaskHandle<?>> sent = taskq.submitAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                List<TaskHandle<?>> steps = chainSteps(batch.get(i), sent.get(i));
                handles.add((TaskHandle<T>) steps.get(steps.size() - 1));
            }
        }
        return new GroupHandle<>(id, handles);
    }

    /** The embed of {@code r} submitted with {@code id} to {@code queue}; {@link Embed#NONE} if it has none. */
    Embed embed(TaskRequest<?> r, String id, String queue) {
        if (r.callbacks().isEmpty() && r.errbacks().isEmpty() && r.chainRest().isEmpty() && r.chord() == null) {
            return Embed.NONE;
        }
        int[] count = {0};
        List<Embed.Step> chain = new ArrayList<>(r.chainRest().size());
        String prevId = id;
        String prevQueue = queue;
        for (CanvasStep s : r.chainRest()) {
            Embed.Step step = step(s, s.request().id().orElse(Ids.followUp(prevId, "chain", 0)), 1, count);
            if (step.header().isEmpty()) {
                refusal(prevQueue, prevId, step);
            } else {
                chordStepChecks(r, prevQueue, prevId, step);
            }
            chain.add(step);
            prevId = step.id();
            prevQueue = step.queue();
        }
        Collections.reverse(chain); // Celery's order: the next step is the last element
        return new Embed(links(r.callbacks(), queue, id, "link", 1, count),
                links(r.errbacks(), queue, id, "link_error", 1, count), chain, r.chord());
    }

    private List<Embed.Step> links(List<CanvasStep> steps, String parentQueue, String parentId, String kind,
                                   int depth, int[] count) {
        List<Embed.Step> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            CanvasStep s = steps.get(i);
            Embed.Step step = step(s, s.request().id().orElse(Ids.followUp(parentId, kind, i)), depth, count);
            refusal(parentQueue, parentId, step);
            out.add(step);
        }
        return out;
    }

    /** One signature as the embed holds it, its own callbacks and error callbacks included. */
    private Embed.Step step(CanvasStep s, String id, int depth, int[] count) {
        TaskRequest<?> r = s.request();
        if (depth > Embed.MAX_DEPTH) {
            throw new IllegalArgumentException("workflow signatures nest deeper than " + Embed.MAX_DEPTH
                    + " levels (at task '" + r.taskName() + "')");
        }
        if (++count[0] > Embed.MAX_SIGNATURES) {
            throw new IllegalArgumentException("a workflow message may carry at most " + Embed.MAX_SIGNATURES
                    + " signatures (chain steps and callbacks, nested ones included)");
        }
        String refused = r.stepRefusal();
        if (refused != null) {
            throw new IllegalArgumentException("task '" + r.taskName() + "': " + refused);
        }
        TaskDefinition def = definition(r);
        int given = r.args().size() + (s.takesResult() ? 1 : 0);
        if (def != null && given != def.parameterTypes().size()) {
            throw new IllegalArgumentException("task '" + def.name() + "' takes " + def.parameterTypes().size()
                    + " argument(s), its signature gives " + r.args().size()
                    + (s.takesResult() ? " plus the previous result" : ""));
        }
        String queue = queueOf(r, def);
        List<Embed.Step> header = new ArrayList<>(s.header().size());
        for (int i = 0; i < s.header().size(); i++) {
            CanvasStep m = s.header().get(i);
            header.add(step(m, m.request().id().orElse(Ids.followUp(id, "group", i)), depth + 1, count));
        }
        return new Embed.Step(r.taskName(), args(r), !s.takesResult(), id, queue, priorityOf(r, def),
                r.countdownOrNull(), r.timeLimitOrNull(), r.softTimeLimitOrNull(),
                links(r.callbacks(), queue, id, "link", depth + 1, count),
                links(r.errbacks(), queue, id, "link_error", depth + 1, count), header);
    }

    /**
     * A chord in a chain: its members are follow-ups of the step before (so in its slot on a Cluster), its callback
     * is joined (anywhere); it cannot be in a chain that is itself a chord member (one chord per message).
     */
    private void chordStepChecks(TaskRequest<?> r, String prevQueue, String prevId, Embed.Step step) {
        if (r.chord() != null) {
            throw new IllegalArgumentException("a chain that is a chord member cannot hold a chord of its own");
        }
        broker.chordRefusal().ifPresent(why -> {
            throw new IllegalArgumentException("this broker cannot run chords: " + why);
        });
        for (Embed.Step m : step.header()) {
            refusal(prevQueue, prevId, m);
        }
    }

    private void refusal(String fromQueue, String fromId, Embed.Step to) {
        broker.followUpRefusal(fromQueue, fromId, to.queue(), to.id()).ifPresent(why -> {
            throw new IllegalArgumentException("task '" + to.task() + "' cannot follow a task of queue '"
                    + fromQueue + "': " + why);
        });
        // a follow-up carries the limits its task declares (docs/limits.md#follow-ups): known here if registered
        if (limits.limitsFollowUp(registry.find(to.task()).map(TaskRegistry.Registered::definition).orElse(null),
                to.queue())) {
            broker.limitsRefusal(to.queue()).ifPresent(why -> {
                throw new IllegalArgumentException("task '" + to.task() + "' carries limits as a follow-up, but "
                        + why);
            });
        }
    }

    /** The request's task definition: its own (a method reference) or the registered one of its name, if any. */
    TaskDefinition definition(TaskRequest<?> r) {
        TaskDefinition def = r.definition();
        return def != null ? def : registry.find(r.taskName()).map(TaskRegistry.Registered::definition).orElse(null);
    }

    static String queueOf(TaskRequest<?> r, TaskDefinition def) {
        return r.queueOr(def != null ? def.queue() : "default");
    }

    static int priorityOf(TaskRequest<?> r, TaskDefinition def) {
        return r.priorityOrNull() != null ? r.priorityOrNull() : def != null ? def.priority() : 4;
    }

    /** The request's arguments as JSON, each encoded by the application's mapper. */
    ArrayNode args(TaskRequest<?> r) {
        ArrayNode args = Json.mapper().createArrayNode();
        for (int i = 0; i < r.args().size(); i++) {
            try {
                args.add(data.toTree(r.args().get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("argument " + (i + 1) + " of task '" + r.taskName()
                        + "' cannot be encoded as JSON: " + e.getMessage(), e);
            }
        }
        return args;
    }
}
