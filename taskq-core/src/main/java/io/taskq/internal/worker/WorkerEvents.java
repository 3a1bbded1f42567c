package io.taskq.internal.worker;

import io.taskq.TaskError;
import io.taskq.TaskEvent.Kind;
import io.taskq.TaskEvent;
import io.taskq.TaskListener;
import io.taskq.TaskState;
import io.taskq.internal.ArgsRepr;
import io.taskq.internal.Envelope;
import io.taskq.internal.GuardedListener;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns a worker's transitions into {@link TaskEvent}s for the application's {@link TaskListener}s, each called
 * through a {@link GuardedListener}, synchronously on the calling thread. Does nothing (not even read the clock)
 * when there is no listener.
 */
final class WorkerEvents {
    /** The reason of a task revoked because its expiry passed (see {@link Outcomes}). */
    private static final String EXPIRED = "expired";

    private final List<GuardedListener> listeners;
    private final Clock clock;
    private final String workerId;
    /** How the arguments show in STARTED events. */
    private final ArgsRepr argsRepr;

    WorkerEvents(List<TaskListener> listeners, Clock clock, String workerId) {
        this(listeners, clock, workerId, ArgsRepr.OFF);
    }

    WorkerEvents(List<TaskListener> listeners, Clock clock, String workerId, ArgsRepr argsRepr) {
        this.argsRepr = argsRepr;
        this.listeners = listeners.stream().map(GuardedListener::new).toList();
        this.clock = clock;
        this.workerId = workerId;
    }

    /** Tasks the broker handed to this worker. */
    void claimed(List<Delivery> claimed) {
        if (listeners.isEmpty()) {
            return;
        }
        for (Delivery d : claimed) {
            emit(Kind.CLAIMED, d, null, null, null, null);
        }
    }

    /** The attempt starts: its message was read and the method is called next. */
    void started(Delivery d, AttemptTrace trace, Envelope env) {
        if (listeners.isEmpty()) {
            return;
        }
        trace.startedNanos = System.nanoTime();
        trace.startedAt = clock.instant();
        trace.envelope = env;
        emit(Kind.STARTED, d, trace, null, null, null);
    }

    /**
     * The worker decided how the attempt ends and is about to report it: a success, a failure retried or
     * dead-lettered, a revoke. Returns {@code outcome}, so that a call site can pass it on.
     */
    Outcome finished(Delivery d, AttemptTrace trace, Outcome outcome) {
        if (listeners.isEmpty() || outcome == null) {
            return outcome;
        }
        TaskRecord r = outcome.record();
        switch (outcome.kind()) {
            case RETRY -> {
                emit(Kind.FAILED, d, trace, r.error(), null, null);
                emit(Kind.RETRIED, d, trace, r.error(), outcome.retryAt(), null);
            }
            case DEAD -> {
                if (trace.started()) {
                    emit(Kind.FAILED, d, trace, r.error(), null, null);
                }
                emit(Kind.DEAD_LETTERED, d, trace, r.error(), null, outcome.reason());
            }
            case DONE -> {
                if (r == null || r.state() == TaskState.SUCCESS) {
                    emit(Kind.SUCCEEDED, d, trace, null, null, null);
                } else if (r.state() == TaskState.REVOKED) {
                    emit(EXPIRED.equals(r.reason()) ? Kind.EXPIRED : Kind.REVOKED, d, trace, null, null, r.reason());
                } else {
                    emit(Kind.FAILED, d, trace, r.error(), null, null);
                }
            }
        }
        return outcome;
    }

    /** The running attempt reported progress, stored by the broker. */
    void progress(Delivery d, AttemptTrace trace, String state, String metaJson) {
        if (listeners.isEmpty()) {
            return;
        }
        TaskEvent event = base(Kind.PROGRESS, d, trace).progress(state, metaJson).build();
        for (GuardedListener l : listeners) {
            l.onEvent(event);
        }
    }

    /**
     * The broker took an outcome and the follow-ups enqueued with it (a chain's next step, callbacks): each is
     * {@link Kind#SENT}, its parent the finished task, as a submit tells its tasks.
     */
    void followUpsSent(Delivery parent, Envelope parentEnvelope, List<TaskMessage> messages) {
        if (listeners.isEmpty() || messages.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String root = parentEnvelope != null ? parentEnvelope.rootId() : parent.id();
        for (TaskMessage m : messages) {
            TaskEvent event = TaskEvent.builder(Kind.SENT, m.id(), m.queue(), now).taskName(m.task()).retries(0)
                    .lineage(root, parent.id()).sent(now, m.eta()).build();
            for (GuardedListener l : listeners) {
                l.onEvent(event);
            }
        }
    }

    /** Tasks given back to the broker unfinished, without their attempts' traces (never started). */
    void handedBack(List<Delivery> back) {
        if (listeners.isEmpty()) {
            return;
        }
        for (Delivery d : back) {
            emit(Kind.HANDED_BACK, d, null, null, null, null);
        }
    }

    /** One attempt given back to the broker unfinished (maybe after it started). */
    void handedBack(Delivery d, AttemptTrace trace) {
        if (listeners.isEmpty()) {
            return;
        }
        emit(Kind.HANDED_BACK, d, trace, null, null, null);
    }

    private void emit(Kind kind, Delivery d, AttemptTrace trace, TaskError error, Instant retryAt, String reason) {
        TaskEvent.Builder e = base(kind, d, trace).retryAt(retryAt).reason(reason);
        if (error != null) {
            e.error(error.type(), error.message());
        }
        if (kind == Kind.STARTED && trace != null && trace.started()) {
            e.args(argsRepr.of(trace.envelope.args()));
        }
        TaskEvent event = e.build();
        for (GuardedListener l : listeners) {
            l.onEvent(event);
        }
    }

    /** An event of this worker's attempt with what its trace knows: lineage, times. */
    private TaskEvent.Builder base(Kind kind, Delivery d, AttemptTrace trace) {
        boolean started = trace != null && trace.started();
        Envelope env = started ? trace.envelope : null;
        TaskEvent.Builder e = TaskEvent.builder(kind, d.id(), d.queue(), clock.instant())
                .taskName(env != null ? env.task() : d.task())
                .worker(workerId, d.attempt());
        if (env != null) {
            e.retries(env.retries()).lineage(env.rootId(), env.parentId()).sent(env.sentAt(), env.eta())
                    .times(waitTime(env, trace.startedAt),
                            kind != Kind.STARTED ? Duration.ofNanos(System.nanoTime() - trace.startedNanos) : null);
        }
        return e;
    }

    /**
     * From the send (or the ETA, if later) to the start; null if the message does not say when it was sent. Never
     * negative: a sender's clock ahead of this worker's would make it so.
     */
    static Duration waitTime(Envelope env, Instant startedAt) {
        if (env.sentAt() == null) {
            return null;
        }
        Instant from = env.eta() != null && env.eta().isAfter(env.sentAt()) ? env.eta() : env.sentAt();
        Duration wait = Duration.between(from, startedAt);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
