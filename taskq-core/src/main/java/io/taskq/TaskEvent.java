package io.taskq;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of one task, as a {@link TaskListener} hears it. Immutable. Fields that do not apply to a kind, or are
 * not known at that point, are null (see each).
 *
 * <p>A submit gives {@link Kind#SENT} (on the submitting application, no worker). One attempt on a worker gives:
 * {@link Kind#CLAIMED}, then either {@link Kind#STARTED} and one ending ({@link Kind#SUCCEEDED}; {@link Kind#FAILED}
 * followed by {@link Kind#RETRIED} or {@link Kind#DEAD_LETTERED}; {@link Kind#REVOKED}; {@link Kind#HANDED_BACK}),
 * or no start and one of {@link Kind#REVOKED} (revoked before it started), {@link Kind#EXPIRED},
 * {@link Kind#DEAD_LETTERED} (message unreadable, too large, unknown task, bad arguments) or
 * {@link Kind#HANDED_BACK}. An attempt whose lease was lost ends without an event: another attempt owns the task.
 *
 * <p>Build one with {@link #builder} (listeners' own tests do).
 */
public final class TaskEvent {

    /** What happened to the task. */
    public enum Kind {
        /** The task was submitted ({@link Taskq#submit}): one event per task the broker took (not for duplicates). */
        SENT,
        /** The worker claimed the task from the broker (Celery's task-received). */
        CLAIMED,
        /** The attempt started: the message was read and the task method (with its interceptors) is called next. */
        STARTED,
        /** The attempt returned normally; its result is reported. */
        SUCCEEDED,
        /** The attempt that started failed (threw, timed out, or its result could not be encoded). */
        FAILED,
        /** After {@link #FAILED}: the task is scheduled to run again at {@code retryAt}. */
        RETRIED,
        /**
         * The task was revoked while this worker held or ran it (a task revoked while still queued never reaches a
         * worker: the broker ends it, and no worker event tells).
         */
        REVOKED,
        /** The task's expiry ({@link TaskRequest#expires}) passed before it could start: it ends REVOKED, not run. */
        EXPIRED,
        /** The task failed for good and goes to the dead-letter set, with {@code reason}. */
        DEAD_LETTERED,
        /**
         * The worker gave the task back to the broker unfinished (stopping, or holding more than it should): another
         * worker runs it.
         */
        HANDED_BACK,
        /**
         * The running attempt reported progress or a custom state ({@link TaskContext#updateState}), with
         * {@code progressState} and {@code progressMeta}.
         */
        PROGRESS
    }

    private final Kind kind;
    private final String taskId;
    private final String taskName;
    private final String queue;
    private final String workerId;
    private final int attempt;
    private final Integer retries;
    private final String rootId;
    private final String parentId;
    private final Instant timestamp;
    private final Instant sentAt;
    private final Instant eta;
    private final Duration waitTime;
    private final Duration runtime;
    private final String errorType;
    private final String errorMessage;
    private final Instant retryAt;
    private final String reason;
    private final String progressState;
    private final String progressMeta;
    private final String args;

    private TaskEvent(Builder b) {
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.taskId = Objects.requireNonNull(b.taskId, "taskId");
        this.queue = Objects.requireNonNull(b.queue, "queue");
        this.timestamp = Objects.requireNonNull(b.timestamp, "timestamp");
        if (b.workerId == null && b.kind != Kind.SENT) {
            throw new NullPointerException("workerId (only a SENT event has none)");
        }
        this.taskName = b.taskName;
        this.workerId = b.workerId;
        this.attempt = b.attempt;
        this.retries = b.retries;
        this.rootId = b.rootId;
        this.parentId = b.parentId;
        this.sentAt = b.sentAt;
        this.eta = b.eta;
        this.waitTime = b.waitTime;
        this.runtime = b.runtime;
        this.errorType = b.errorType;
        this.errorMessage = b.errorMessage;
        this.retryAt = b.retryAt;
        this.reason = b.reason;
        this.progressState = b.progressState;
        this.progressMeta = b.progressMeta;
        this.args = b.args;
    }

    /** A builder for an event of {@code kind} about task {@code taskId} of {@code queue} at {@code timestamp}. */
    public static Builder builder(Kind kind, String taskId, String queue, Instant timestamp) {
        return new Builder(kind, taskId, queue, timestamp);
    }

    /** What happened. */
    public Kind kind() {
        return kind;
    }

    /** The task's id. */
    public String taskId() {
        return taskId;
    }

    /** The task's name; for a claim, as the broker knows it (the message is read at the start). */
    public String taskName() {
        return taskName;
    }

    /** The queue the task was sent to or claimed from. */
    public String queue() {
        return queue;
    }

    /** The worker's id ({@link Worker#id()}); null only for {@link Kind#SENT}. */
    public String workerId() {
        return workerId;
    }

    /** Claims of the task so far, this one included (counted by the broker); 0 for {@link Kind#SENT}. */
    public int attempt() {
        return attempt;
    }

    /**
     * Retries scheduled before this attempt, as its message says; 0 for {@link Kind#SENT}; null on a worker until
     * the attempt started (the message is read at the start).
     */
    public Integer retries() {
        return retries;
    }

    /** The id of the first task of the submit chain (this task's own id for a task submitted from outside one). */
    public String rootId() {
        return rootId;
    }

    /** The id of the task that submitted this one, or null. */
    public String parentId() {
        return parentId;
    }

    /** When it happened, by the taskq's {@link Taskq.Builder#clock clock}. */
    public Instant timestamp() {
        return timestamp;
    }

    /**
     * When the message was sent (the submit, or the retry or resubmit that sent it again), as it says; known from the
     * start of an attempt on, and for {@link Kind#SENT}; null if its sender did not say.
     */
    public Instant sentAt() {
        return sentAt;
    }

    /** The earliest start the message asks for (a countdown, ETA, or retry time), or null. */
    public Instant eta() {
        return eta;
    }

    /**
     * How long the task waited to start: from when it was sent, or from its ETA if that is later, to the start of
     * this attempt (time in the queue plus time held for a free slot). Null before the start, for attempts that never
     * started, and for messages that do not say when they were sent. Measured across machines, so it includes their
     * clocks' difference.
     */
    public Duration waitTime() {
        return waitTime;
    }

    /**
     * How long the attempt ran, from its start to this event (interceptors included); null unless it started, and for
     * {@link Kind#STARTED} itself.
     */
    public Duration runtime() {
        return runtime;
    }

    /**
     * For {@link Kind#FAILED}, {@link Kind#RETRIED} and {@link Kind#DEAD_LETTERED}: the class name of the exception,
     * or a taskq error kind such as {@code taskq.MalformedMessage}; else null.
     */
    public String errorType() {
        return errorType;
    }

    /** The error's message (possibly empty) where {@link #errorType()} is set; else null. */
    public String errorMessage() {
        return errorMessage;
    }

    /** For {@link Kind#RETRIED}: when the next attempt may start; else null. */
    public Instant retryAt() {
        return retryAt;
    }

    /**
     * For {@link Kind#REVOKED} ({@code revoked}), {@link Kind#EXPIRED} ({@code expired}) and
     * {@link Kind#DEAD_LETTERED} (the reason stored with the dead letter); else null.
     */
    public String reason() {
        return reason;
    }

    /** For {@link Kind#PROGRESS}: the state the task reported (e.g. {@code PROGRESS}); else null. */
    public String progressState() {
        return progressState;
    }

    /** For {@link Kind#PROGRESS}: the JSON text of the metadata the task reported with it; else null. */
    public String progressMeta() {
        return progressMeta;
    }

    /**
     * For {@link Kind#SENT} and {@link Kind#STARTED}, when {@link Taskq.Builder#argsRepr} is on: the task's arguments
     * as the JSON text of its message, cut to that many characters (ending in an ellipsis when cut); else null.
     */
    public String args() {
        return args;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TaskEvent[").append(kind).append(' ').append(taskId)
                .append(" task=").append(taskName).append(" queue=").append(queue);
        if (workerId != null) {
            b.append(" worker=").append(workerId).append(" attempt=").append(attempt);
        }
        if (waitTime != null) {
            b.append(" wait=").append(waitTime);
        }
        if (runtime != null) {
            b.append(" runtime=").append(runtime);
        }
        if (errorType != null) {
            b.append(" error=").append(errorType);
        }
        if (reason != null) {
            b.append(" reason=").append(reason);
        }
        return b.append(" at ").append(timestamp).append(']').toString();
    }

    /** Builds a {@link TaskEvent}; every field not set is null (0 for the attempt). */
    public static final class Builder {
        private final Kind kind;
        private final String taskId;
        private final String queue;
        private final Instant timestamp;
        private String taskName;
        private String workerId;
        private int attempt;
        private Integer retries;
        private String rootId;
        private String parentId;
        private Instant sentAt;
        private Instant eta;
        private Duration waitTime;
        private Duration runtime;
        private String errorType;
        private String errorMessage;
        private Instant retryAt;
        private String reason;
        private String progressState;
        private String progressMeta;
        private String args;

        private Builder(Kind kind, String taskId, String queue, Instant timestamp) {
            this.kind = kind;
            this.taskId = taskId;
            this.queue = queue;
            this.timestamp = timestamp;
        }

        /** See {@link TaskEvent#taskName()}. */
        public Builder taskName(String taskName) {
            this.taskName = taskName;
            return this;
        }

        /** See {@link TaskEvent#workerId()} and {@link TaskEvent#attempt()}. */
        public Builder worker(String workerId, int attempt) {
            this.workerId = workerId;
            this.attempt = attempt;
            return this;
        }

        /** See {@link TaskEvent#retries()}. */
        public Builder retries(Integer retries) {
            this.retries = retries;
            return this;
        }

        /** See {@link TaskEvent#rootId()} and {@link TaskEvent#parentId()}. */
        public Builder lineage(String rootId, String parentId) {
            this.rootId = rootId;
            this.parentId = parentId;
            return this;
        }

        /** See {@link TaskEvent#sentAt()} and {@link TaskEvent#eta()}. */
        public Builder sent(Instant sentAt, Instant eta) {
            this.sentAt = sentAt;
            this.eta = eta;
            return this;
        }

        /** See {@link TaskEvent#waitTime()} and {@link TaskEvent#runtime()}. */
        public Builder times(Duration waitTime, Duration runtime) {
            this.waitTime = waitTime;
            this.runtime = runtime;
            return this;
        }

        /** See {@link TaskEvent#errorType()} and {@link TaskEvent#errorMessage()}. */
        public Builder error(String errorType, String errorMessage) {
            this.errorType = errorType;
            this.errorMessage = errorMessage;
            return this;
        }

        /** See {@link TaskEvent#retryAt()}. */
        public Builder retryAt(Instant retryAt) {
            this.retryAt = retryAt;
            return this;
        }

        /** See {@link TaskEvent#reason()}. */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** See {@link TaskEvent#progressState()} and {@link TaskEvent#progressMeta()}. */
        public Builder progress(String state, String metaJson) {
            this.progressState = state;
            this.progressMeta = metaJson;
            return this;
        }

        /** See {@link TaskEvent#args()}. */
        public Builder args(String args) {
            this.args = args;
            return this;
        }

        /**
         * The event.
         *
         * @throws NullPointerException if the worker is missing from an event other than {@link Kind#SENT}
         */
        public TaskEvent build() {
            return new TaskEvent(this);
        }
    }
}
