package io.taskq.internal.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.taskq.TaskError;
import io.taskq.TaskFailure;
import io.taskq.TaskState;
import io.taskq.internal.DataCodec;
import io.taskq.internal.Embed;
import io.taskq.internal.Envelope;
import io.taskq.internal.FollowUpLimits;
import io.taskq.internal.Errors;
import io.taskq.internal.Ids;
import io.taskq.internal.Json;
import io.taskq.internal.LimitSpec;
import io.taskq.spi.Broker;
import io.taskq.spi.ChordJoin;
import io.taskq.spi.Delivery;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The chord join of a chord member's final outcome (docs/workflows.md): built from the {@link Embed.ChordRef} of the
 * last task of a member (the member itself, or the last step of the chain it starts). On success it carries the
 * member's result and the callback's message split around the results list, which the broker fills in once every
 * member has joined; on a failure or a revoke it carries the callback's error callbacks, each with a
 * {@link TaskFailure} of type {@code taskq.ChordError} that names the member, and the callback's FAILURE record.
 */
final class ChordJoins {
    /** The error type of a chord whose member failed or was revoked (Celery's {@code ChordError}). */
    static final String CHORD_ERROR = "taskq.ChordError";
    /** Stands for the results list while the callback's envelope is encoded; control characters keep it unique. */
    private static final String PLACEHOLDER = "\u0001taskq:chord-results\u0001";

    private final Broker broker;
    private final Clock clock;
    private final DataCodec data;
    private final String workerId;
    private final FollowUpLimits limits;

    ChordJoins(Broker broker, Clock clock, DataCodec data, String workerId, FollowUpLimits limits) {
        this.limits = limits;
        this.broker = broker;
        this.clock = clock;
        this.data = data;
        this.workerId = workerId;
    }

    /** Why the broker cannot take the join, or null (then the member is dead-lettered with the reason). */
    String refusal(Envelope env) {
        if (env == null || env.embed().chord() == null) {
            return null;
        }
        return broker.chordRefusal().orElse(null);
    }

    /** The join of a member that succeeded with {@code resultJson} (null: the result was not written). */
    ChordJoin success(Envelope env, Delivery d, String resultJson) {
        Embed.ChordRef c = env.embed().chord();
        if (c == null || !env.embed().chain().isEmpty()) {
            return null; // not a member, or a chain step before the member's last
        }
        Template t = callbackTemplate(env, d, c);
        return new ChordJoin(c.id(), c.index(), c.size(), resultJson == null ? "null" : resultJson, t.before(),
                t.after(), List.of(), null);
    }

    /** The join of a member that failed for good with {@code error}, or was revoked ({@code error} says so). */
    ChordJoin failure(Envelope env, Delivery d, TaskError error) {
        Embed.ChordRef c = env == null ? null : env.embed().chord();
        if (c == null) {
            return null;
        }
        TaskError chordError = Errors.of(CHORD_ERROR, "chord " + c.id() + ": member " + c.index() + " (task "
                + d.id() + ", '" + env.task() + "') failed: " + (error == null ? "unknown error" : error.type()
                + ": " + error.message()));
        Embed.Step cb = c.callback();
        List<TaskMessage> errbacks = new ArrayList<>();
        JsonNode failure = data.toTree(new TaskFailure(d.id(), env.task(), d.queue(), chordError));
        for (Embed.Step e : cb.linkError()) {
            errbacks.add(message(e, d, env, new Embed(e.link(), e.linkError(), List.of()), failure, e.immutable()));
        }
        // Its lineage as if the failed member had sent it, as the member that completes a chord sends the callback.
        TaskRecord rec = new TaskRecord(cb.id(), cb.queue(), cb.task(), TaskState.FAILURE, null, chordError, 0, 0,
                workerId, clock.instant(), "chord member " + c.index() + " failed", null,
                env.rootId() != null ? env.rootId() : d.id(), d.id());
        Template t = callbackTemplate(env, d, c);
        return new ChordJoin(c.id(), c.index(), c.size(), null, t.before(), t.after(), errbacks, rec);
    }

    /** The callback's message with its body up to the results list, and the body after it (null: none). */
    private record Template(TaskMessage before, String after) {
    }

    private Template callbackTemplate(Envelope env, Delivery d, Embed.ChordRef c) {
        Embed.Step cb = c.callback();
        TaskMessage whole = message(cb, d, env, new Embed(cb.link(), cb.linkError(), c.chain()),
                TextNode.valueOf(PLACEHOLDER), cb.immutable());
        if (cb.immutable()) {
            return new Template(whole, null);
        }
        String marker;
        try {
            marker = Json.mapper().writeValueAsString(PLACEHOLDER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String body = whole.body();
        int at = body.lastIndexOf(marker); // body[0] comes after the headers' argsrepr
        return new Template(new TaskMessage(whole.id(), whole.queue(), whole.task(), whole.priority(), whole.eta(),
                body.substring(0, at)), body.substring(at + marker.length()));
    }

    private TaskMessage message(Embed.Step s, Delivery d, Envelope parent, Embed embed, JsonNode value,
                                boolean immutable) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ArrayNode args = s.args().deepCopy();
        if (!immutable) {
            args.add(value);
        }
        Instant eta = s.countdown() == null ? null : now.plus(s.countdown());
        Envelope env = new Envelope(s.id(), s.task(), s.queue(), s.priority(), args, eta, null, 0, s.timeLimit(),
                parent.rootId(), d.id(), false, Ids.processName(),
                // a callback keyed by its results list has them only in Redis: it counts under the placeholder
                limits.headers(s.task(), s.queue(), LimitSpec.without(parent.headers()), args), now,
                s.softTimeLimit(), embed);
        return new TaskMessage(s.id(), s.queue(), s.task(), s.priority(), eta, env.encode());
    }
}
