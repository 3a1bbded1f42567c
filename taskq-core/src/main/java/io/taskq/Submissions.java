package io.taskq;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taskq.internal.ArgsRepr;
import io.taskq.internal.Envelope;
import io.taskq.internal.GuardedListener;
import io.taskq.internal.Ids;
import io.taskq.internal.LimitSpec;
import io.taskq.internal.Embed;
import io.taskq.internal.SubmitRetry;
import io.taskq.internal.TaskDefinition;
import io.taskq.internal.worker.CurrentTask;
import io.taskq.spi.Broker;
import io.taskq.spi.TaskMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns submit requests into broker messages and sends them: checks each request against its task's definition,
 * encodes the arguments, bounds the message size, and on a failed send finds out which tasks landed after all.
 * {@link Taskq#submitAll} is its only caller; it lives apart so that the facade stays a facade.
 */
final class Submissions {
    private final Taskq taskq;
    private final Broker broker;
    private final Workflows workflows;
    private final SubmitRetry sender;
    private final int maxMessageBytes;
    private final List<GuardedListener> listeners;
    private final LimitPlanner limits;

    Submissions(Taskq taskq, Broker broker, Workflows workflows, SubmitRetry sender,
                int maxMessageBytes, List<TaskListener> listeners, ArgsRepr argsRepr, LimitPlanner limits) {
        this.taskq = taskq;
        this.limits = limits;
        this.argsRepr = argsRepr;
        this.broker = broker;
        this.workflows = workflows;
        this.sender = sender;
        this.maxMessageBytes = maxMessageBytes;
        this.listeners = listeners.stream().map(GuardedListener::new).toList();
    }

    /** How the arguments show in SENT events. */
    private final ArgsRepr argsRepr;

    /** A message and the envelope it carries (for the events of the tasks sent). */
    private record Prepared(TaskMessage message, Envelope envelope) {
    }

    /** Sends the requests in one broker call (see {@link Taskq#submitAll}); the caller has checked it is open. */
    List<TaskHandle<?>> submitAll(List<? extends TaskRequest<?>> requests, Instant now) {
        List<Prepared> prepared = new ArrayList<>(requests.size());
        for (TaskRequest<?> r : requests) {
            prepared.add(prepare(r, now));
        }
        List<TaskMessage> messages = prepared.stream().map(Prepared::message).toList();
        List<Boolean> created;
        try {
            created = messages.isEmpty() ? List.of() : sender.enqueue(messages);
        } catch (RuntimeException e) {
            throw notSubmitted(requests, messages, e);
        }
        List<TaskHandle<?>> handles = new ArrayList<>(requests.size());
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            TaskMessage m = messages.get(i);
            String holder = created.get(i) ? null : uniqueHolder(m);
            // A generated id is known to nobody else: if the broker knew it, this submit put it there (a client
            // library that re-sent the command after a reconnect, say), so only an explicit id can be a duplicate.
            boolean made = holder == null && (created.get(i) || requests.get(i).id().isEmpty());
            String id = holder != null ? holder : m.id();
            handles.add(new TaskHandle<>(id, m.queue(), requests.get(i).resultType(), taskq, made));
            if (!made && requests.get(i).failsIfDuplicate()) {
                duplicates.add(m.queue() + "/" + id);
            }
        }
        sent(prepared, handles, now);
        if (!duplicates.isEmpty()) {
            throw new DuplicateTaskException(String.join(", ", duplicates),
                    duplicates.stream().map(d -> d.substring(d.indexOf('/') + 1)).toList(), handles);
        }
        return handles;
    }

    /**
     * The task that holds a unique message's key, when the broker declined the message for it (docs/limits.md): the
     * submit answers with that task's handle. Null for a message that is not unique, or whose key its own id holds.
     */
    private String uniqueHolder(TaskMessage m) {
        LimitSpec spec = LimitSpec.ofBody(m.body());
        if (spec == null || spec.unique() == null) {
            return null;
        }
        return broker.uniqueHolder(m.queue(), spec.unique().key()).filter(h -> !h.equals(m.id())).orElse(null);
    }

    /**
     * The failure of a submit, per task: those whose ids the broker holds after all (a lost reply, found by a lookup
     * if the broker answers one now) count as submitted; the others may have landed or not, and come back as
     * requests with their ids fixed.
     */
    private SubmitException notSubmitted(List<? extends TaskRequest<?>> requests, List<TaskMessage> messages,
                                         RuntimeException e) {
        Set<String> landed = Set.of();
        try {
            landed = broker.locate(messages.stream().map(TaskMessage::id).toList()).keySet();
        } catch (RuntimeException lookupFailed) {
            e.addSuppressed(lookupFailed); // the broker cannot tell now: every task counts as unconfirmed
        }
        List<TaskHandle<?>> handles = new ArrayList<>(requests.size());
        List<TaskHandle<?>> submitted = new ArrayList<>();
        List<TaskRequest<?>> retry = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            TaskMessage m = messages.get(i);
            boolean in = landed.contains(m.id());
            TaskHandle<?> h = new TaskHandle<>(m.id(), m.queue(), requests.get(i).resultType(), taskq,
                    in && requests.get(i).id().isEmpty());
            handles.add(h);
            if (in) {
                submitted.add(h);
            } else {
                retry.add(requests.get(i).id(m.id()));
            }
        }
        String what = handles.size() == 1 ? "task " + handles.get(0).id()
                : handles.size() + " tasks (" + handles.get(0).id() + " ...)";
        String state = retry.isEmpty() ? "; all of them are in the broker all the same"
                : submitted.isEmpty() ? "; it may have landed all the same: submitting again with the same id is safe"
                : "; " + submitted.size() + " are in the broker all the same, the others may have landed:"
                  + " submitting them again with the same ids is safe";
        return new SubmitException("submit of " + what + " failed: " + e + state, e, handles, submitted, retry);
    }

    /** Tells the listeners of each task the broker took ({@link TaskEvent.Kind#SENT}), on the submitting thread. */
    private void sent(List<Prepared> prepared, List<TaskHandle<?>> handles, Instant now) {
        if (listeners.isEmpty()) {
            return;
        }
        for (int i = 0; i < prepared.size(); i++) {
            if (!handles.get(i).created()) {
                continue;
            }
            Envelope env = prepared.get(i).envelope();
            TaskEvent event = TaskEvent.builder(TaskEvent.Kind.SENT, env.id(), env.queue(), now).taskName(env.task())
                    .retries(0).lineage(env.rootId(), env.parentId()).sent(env.sentAt(), env.eta()).args(argsRepr.of(env.args())).build();
            for (GuardedListener l : listeners) {
                l.onEvent(event);
            }
        }
    }

    private Prepared prepare(TaskRequest<?> r, Instant now) {
        TaskDefinition def = workflows.definition(r);
        if (def != null && r.args().size() != def.parameterTypes().size()) {
            throw new IllegalArgumentException("task '" + def.name() + "' takes " + def.parameterTypes().size()
                    + " argument(s), got " + r.args().size());
        }
        String queue = Workflows.queueOf(r, def);
        int priority = Workflows.priorityOf(r, def);
        ArrayNode args = workflows.args(r);
        String id = r.id().orElseGet(Ids::newTaskId);
        Embed embed = workflows.embed(r, id, queue);
        TaskContext parent = CurrentTask.get();
        Envelope env = new Envelope(id, r.taskName(), queue, priority, args, r.etaAt(now), r.expiresAt(now), 0,
                r.timeLimitOrNull(), parent != null ? parent.rootId() : r.root() != null ? r.root() : id,
                parent != null ? parent.taskId() : null, def != null && def.ignoreResult(), Ids.processName(),
                limits.headers(r, def, queue, args), now.truncatedTo(ChronoUnit.MILLIS), r.softTimeLimitOrNull(),
                embed);
        String body = env.encode();
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxMessageBytes) {
            throw new IllegalArgumentException("message for task '" + r.taskName() + "' is " + size
                    + " bytes, over the limit of " + maxMessageBytes + " (pass large data by reference)");
        }
        return new Prepared(new TaskMessage(id, queue, r.taskName(), priority, env.eta(), body), env);
    }
}
