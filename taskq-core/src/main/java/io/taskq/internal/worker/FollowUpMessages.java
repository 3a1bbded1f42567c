package io.taskq.internal.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskq.TaskError;
import io.taskq.TaskFailure;
import io.taskq.internal.ChainSteps;
import io.taskq.internal.DataCodec;
import io.taskq.internal.Embed;
import io.taskq.internal.Envelope;
import io.taskq.internal.FollowUpLimits;
import io.taskq.internal.Ids;
import io.taskq.internal.LimitSpec;
import io.taskq.spi.Broker;
import io.taskq.spi.Delivery;
import io.taskq.spi.TaskMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The follow-up messages of a finished task, from its envelope's embed (docs/workflows.md): on success its callbacks
 * and the next step of its chain, each with the result appended to its arguments; on a final failure its error
 * callbacks, each with a {@link TaskFailure}. Each message's id is the one fixed at submit, its parent the finished
 * task, its root the finished task's root, its custom headers the finished task's (a tenant, the trace context that
 * the tracing submit interceptor put there: a workflow's steps stay in its submitter's trace), its limits those its
 * task and queue declare, worked out here from its complete arguments ({@link FollowUpLimits}). Before the outcome is sent, every message is checked against the worker's
 * message limit and {@link Broker#followUpRefusal}: a broker refuses a whole call with a follow-up it cannot take,
 * so the worker dead-letters the task with the reason instead.
 */
final class FollowUpMessages {
    private final Broker broker;
    private final Clock clock;
    private final DataCodec data;
    private final int maxMessageBytes;
    private final FollowUpLimits limits;

    FollowUpMessages(Broker broker, Clock clock, DataCodec data, int maxMessageBytes, FollowUpLimits limits) {
        this.broker = broker;
        this.limits = limits;
        this.clock = clock;
        this.data = data;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The messages, or why they cannot be sent ({@code refusal} non-null, {@code messages} empty). */
    record Built(List<TaskMessage> messages, String refusal) {
        static final Built NONE = new Built(List.of(), null);
    }

    /** After a success with {@code resultJson} (null when the result was not written: nothing needs it). */
    Built onSuccess(Envelope parent, Delivery d, String resultJson) {
        Embed e = parent.embed();
        if (!e.needsResult()) {
            return Built.NONE;
        }
        JsonNode result;
        try {
            result = resultJson == null ? NullNode.getInstance() : data.mapper().readTree(resultJson);
        } catch (Exception ex) {
            return new Built(List.of(), "the result cannot be read back for the follow-ups: " + ex.getMessage());
        }
        List<Embed.Step> steps = new ArrayList<>(e.callbacks());
        List<Embed> embeds = new ArrayList<>();
        for (Embed.Step c : e.callbacks()) {
            embeds.add(new Embed(c.link(), c.linkError(), List.of()));
        }
        if (!e.chain().isEmpty()) {
            Embed.Step next;
            List<Embed.Step> rest;
            if (e.chain() instanceof ChainSteps c) {
                try {
                    next = c.last();
                    rest = c.withoutLast();
                } catch (Envelope.MalformedException ex) {
                    return new Built(List.of(), "the rest of the chain is malformed: " + ex.getMessage());
                }
            } else {
                next = e.chain().get(e.chain().size() - 1);
                rest = e.chain().subList(0, e.chain().size() - 1);
            }
            if (next.header().isEmpty()) {
                steps.add(next);
                // The chord a chain is a member of travels to its last step, which joins it.
                embeds.add(new Embed(next.link(), next.linkError(), rest, e.chord()));
            } else {
                // A chord in the chain: its members now, each joining it; the chain goes on from its callback.
                List<Embed.Step> members = next.header();
                for (int i = 0; i < members.size(); i++) {
                    Embed.Step m = members.get(i);
                    steps.add(m);
                    embeds.add(new Embed(m.link(), m.linkError(), List.of(),
                            new Embed.ChordRef(next.id(), i, members.size(), next.withoutHeader(), rest)));
                }
            }
        }
        return build(parent, d, steps, embeds, result);
    }

    /** After a final failure (dead letter) with {@code error}. */
    Built onFailure(Envelope parent, Delivery d, TaskError error) {
        Embed e = parent.embed();
        if (e.errbacks().isEmpty()) {
            return Built.NONE;
        }
        JsonNode failure;
        try {
            failure = data.toTree(new TaskFailure(d.id(), parent.task(), d.queue(), error));
        } catch (RuntimeException ex) {
            return new Built(List.of(), "the failure cannot be encoded for the error callbacks: " + ex);
        }
        List<Embed> embeds = new ArrayList<>();
        for (Embed.Step c : e.errbacks()) {
            embeds.add(new Embed(c.link(), c.linkError(), List.of()));
        }
        return build(parent, d, e.errbacks(), embeds, failure);
    }

    private Built build(Envelope parent, Delivery d, List<Embed.Step> steps, List<Embed> embeds, JsonNode value) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<TaskMessage> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Embed.Step s = steps.get(i);
            ArrayNode args = s.args().deepCopy();
            if (!s.immutable()) {
                args.add(value);
            }
            Instant eta = s.countdown() == null ? null : now.plus(s.countdown());
            Envelope env = new Envelope(s.id(), s.task(), s.queue(), s.priority(), args, eta, null, 0,
                    s.timeLimit(), parent.rootId(), d.id(), false, Ids.processName(),
                    limits.headers(s.task(), s.queue(), LimitSpec.without(parent.headers()), args), now,
                    s.softTimeLimit(), embeds.get(i));
            String body = env.encode();
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            if (size > maxMessageBytes) {
                return new Built(List.of(), "follow-up " + s.id() + " (task '" + s.task() + "') is " + size
                        + " bytes, over the limit of " + maxMessageBytes);
            }
            String refused = broker.followUpRefusal(d.queue(), d.id(), s.queue(), s.id()).orElse(null);
            if (refused == null && body.startsWith(LimitSpec.BODY_PREFIX)) {
                refused = broker.limitsRefusal(s.queue()).map(why -> "it carries limits, but " + why).orElse(null);
            }
            if (refused != null) {
                return new Built(List.of(), "follow-up " + s.id() + " (task '" + s.task() + "') cannot be enqueued"
                        + " with this task's outcome: " + refused);
            }
            out.add(new TaskMessage(s.id(), s.queue(), s.task(), s.priority(), eta, body));
        }
        return new Built(out, null);
    }
}
