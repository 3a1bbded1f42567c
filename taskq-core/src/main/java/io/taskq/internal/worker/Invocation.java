package io.taskq.internal.worker;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.TaskContext;
import io.taskq.internal.BrokerEnd;
import io.taskq.internal.DataCodec;
import io.taskq.internal.Envelope;
import io.taskq.internal.Errors;
import io.taskq.internal.TaskDefinition;
import io.taskq.internal.TaskRegistry;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one attempt's method on the calling task thread and says how it ends: the message is checked and decoded,
 * the arguments are decoded to the method's declared types, the start is reported and the time limit set, the
 * method is invoked with the task's context bound, and its return or throw becomes the {@link Outcome} (built by
 * {@link Outcomes}).
 */
final class Invocation {
    private static final Logger log = LoggerFactory.getLogger(Invocation.class);

    private final WorkerContext ctx;
    private final DataCodec data;
    private final ProgressReports progress;
    private final Outcomes outcomes;
    private final OutcomeReporter reporter;
    private final LeaseKeeper leases;
    private final InvocationChain chain;

    Invocation(WorkerContext ctx, DataCodec data, Outcomes outcomes, OutcomeReporter reporter, LeaseKeeper leases,
               InvocationChain chain) {
        this.ctx = ctx;
        this.chain = chain;
        this.data = data;
        this.progress = new ProgressReports(ctx, data);
        this.outcomes = outcomes;
        this.reporter = reporter;
        this.leases = leases;
    }

    /** Runs the attempt and says how it ends; null when there is nothing to report (lease lost). */
    Outcome execute(Attempt a) {
        Delivery d = a.delivery;
        Instant now = ctx.clock.instant();
        Outcome unreadable = readMessage(a);
        if (unreadable != null) {
            return unreadable;
        }
        Envelope env = a.envelope;
        MDC.put(WorkerEngine.MDC_TASK_NAME, env.task());
        Outcome ended = endedByBroker(a);
        if (ended != null) {
            return ended;
        }
        Optional<TaskRegistry.Registered> registered = ctx.registry.find(env.task());
        if (registered.isEmpty()) {
            return outcomes.dead(a, Errors.of("taskq.UnknownTask", "no task named '" + env.task()
                    + "' is registered on worker " + ctx.id), env.retries());
        }
        TaskDefinition def = registered.get().definition();
        a.definition = def;
        if (env.expires() != null && now.isAfter(env.expires())) {
            log.info("task {} expired at {}; not run", d.id(), env.expires());
            return outcomes.revoked(a, "expired");
        }
        Object[] args;
        try {
            args = decodeArgs(def, env);
        } catch (IllegalArgumentException e) {
            return outcomes.dead(a, Errors.of("taskq.BadArguments", e.getMessage()), env.retries());
        }
        return invoke(a, registered.get(), args);
    }

    /** Checks the message's size and decodes its envelope; the dead letter if either fails, else null. */
    private Outcome readMessage(Attempt a) {
        Delivery d = a.delivery;
        int size = d.body().getBytes(StandardCharsets.UTF_8).length;
        int max = ctx.options.maxMessageBytes();
        if (size > max) {
            return outcomes.dead(a, Errors.of("taskq.MessageTooLarge", "message of " + size
                    + " bytes exceeds the worker's limit of " + max), 0);
        }
        try {
            a.envelope = Envelope.decode(d.body());
        } catch (Envelope.MalformedException e) {
            return outcomes.dead(a, Errors.of("taskq.MalformedMessage", e.getMessage()), 0);
        }
        return null;
    }

    /**
     * The end a broker marked on a chord member it could not end itself ({@link BrokerEnd}): the member is revoked
     * or dead-lettered here, without running, and its outcome carries the chord's join; null for any other message.
     */
    private Outcome endedByBroker(Attempt a) {
        BrokerEnd end;
        try {
            end = BrokerEnd.of(a.delivery.body());
        } catch (Envelope.MalformedException e) {
            return outcomes.dead(a, Errors.of("taskq.MalformedMessage", e.getMessage()), 0);
        }
        if (end == null) {
            return null;
        }
        log.info("task {} was ended by the broker ({}: {}); not run", a.id(), end.state(), end.reason());
        if (end.state() == io.taskq.TaskState.REVOKED) {
            return outcomes.revoked(a, end.reason());
        }
        return outcomes.dead(a, Errors.of("taskq.WorkerLost", end.reason()), a.envelope.retries());
    }

    private Outcome invoke(Attempt a, TaskRegistry.Registered task, Object[] args) {
        Delivery d = a.delivery;
        Envelope env = a.envelope;
        TaskDefinition def = a.definition;
        Instant startedAt = ctx.clock.instant();
        a.startedTick = ctx.ticker.read();
        a.startedAt = startedAt;
        reporter.started(d, startedAt);
        ctx.events.started(d, a.trace, env);
        CurrentTask.bind(new TaskContext(d.id(), env.task(), d.queue(), d.attempt(), env.retries(),
                env.rootId(), env.headers()), a, progress);
        Duration limit = env.timeLimit() != null ? env.timeLimit() : def.timeLimit();
        if (limit != null) {
            leases.startTimeLimit(a, limit);
        }
        Duration soft = env.softTimeLimit() != null ? env.softTimeLimit() : def.softTimeLimit();
        if (soft != null && (limit == null || soft.compareTo(limit) < 0)) {
            leases.startSoftTimeLimit(a, soft);
        }
        log.debug("task {} started (attempt {}, retries {})", d.id(), d.attempt(), env.retries());
        Object result;
        try {
            result = chain.invoke(task, args);
        } catch (IllegalAccessException e) {
            return outcomes.dead(a, Errors.of(e), env.retries());
        } catch (Exception | Error e) {
            return afterThrow(a, a.softTimedOut ? Outcomes.softTimeLimitError(e, soft) : e, limit);
        }
        return afterReturn(a, result, limit);
    }

    private Outcome afterReturn(Attempt a, Object result, Duration limit) {
        Outcome stopped = stopped(a, limit);
        if (stopped != null || a.leaseLost) {
            return stopped;
        }
        boolean store = !(a.envelope.ignoreResult() || a.definition.ignoreResult());
        if (!store && !a.envelope.embed().needsResult()) {
            return outcomes.success(a, null, false);
        }
        String json;
        try {
            json = data.write(result);
        } catch (Exception e) {
            return outcomes.dead(a, Errors.of("taskq.ResultNotSerializable", "result of type "
                    + (result == null ? "null" : result.getClass().getName()) + " cannot be encoded as JSON: "
                    + e.getMessage()), a.envelope.retries());
        }
        log.debug("task {} succeeded", a.id());
        return outcomes.success(a, json, store);
    }

    private Outcome afterThrow(Attempt a, Throwable error, Duration limit) {
        Outcome stopped = stopped(a, limit);
        if (stopped != null || a.leaseLost) {
            return stopped;
        }
        return outcomes.failure(a, error);
    }

    /**
     * How an attempt that was stopped while its method ran ends, whatever the method did: nothing to report when
     * its lease was lost (null, with {@code leaseLost} set), revoked, or failed by its time limit; null if it was
     * not stopped.
     */
    private Outcome stopped(Attempt a, Duration limit) {
        if (a.leaseLost) {
            return null;
        }
        if (a.revokedReason != null) {
            return outcomes.revoked(a, a.revokedReason);
        }
        if (a.timedOut) {
            return outcomes.failure(a, Outcomes.timeLimitError(limit));
        }
        return null;
    }

    private Object[] decodeArgs(TaskDefinition def, Envelope env) {
        List<JavaType> types = def.parameterTypes();
        if (env.args().size() != types.size()) {
            throw new IllegalArgumentException("task '" + def.name() + "' takes " + types.size()
                    + " argument(s), the message has " + env.args().size());
        }
        Object[] args = new Object[types.size()];
        for (int i = 0; i < args.length; i++) {
            JsonNode node = env.args().get(i);
            try {
                args[i] = data.read(node, types.get(i));
            } catch (Exception e) {
                String detail = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                        ? jpe.getOriginalMessage() : e.getMessage();
                throw new IllegalArgumentException("argument " + def.parameterLabel(i) + " of task '" + def.name()
                        + "' cannot be decoded from " + abbreviate(node.toString()) + ": " + detail);
            }
        }
        return args;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
