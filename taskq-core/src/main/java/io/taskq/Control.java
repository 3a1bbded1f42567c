package io.taskq;

import com.fasterxml.jackson.databind.JavaType;
import io.taskq.internal.ControlCalls;
import io.taskq.internal.ControlMessages;
import io.taskq.spi.RevokeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Remote control of the workers of the broker's namespace, in this process and every other one sharing the broker
 * (Celery's {@code app.control} and {@code app.control.inspect(destination=..., timeout=...)}). Get one from
 * {@link Taskq#control()}; it is immutable: {@link #destination} and {@link #timeout} return a changed copy.
 *
 * <pre>{@code
 * Map<String, Control.Reply<List<WorkerTask>>> running = taskq.control().timeout(Duration.ofSeconds(2)).active();
 * taskq.control().destination("node-7").pause("emails");
 * }</pre>
 *
 * <p>Each call sends one command and returns the replies that came, by worker id, sorted by node name then id: it
 * waits until its {@link #timeout} (1 s by default), or less once every named destination has replied (to all
 * workers: once every worker the registry lists has). A worker that did not reply in time is missing from the map;
 * a worker that failed to carry the command out, or does not know it (a version apart), is there with an
 * {@link Reply#error() error}. A worker that starts after a command was sent does not get it.
 */
public final class Control {
    /** The default {@link #timeout}: 1 s, as Celery's. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private static final Comparator<Reply<?>> ORDER = Comparator.comparing((Reply<?> r) -> r.nodeName())
            .thenComparing(Reply::workerId);

    private final Taskq taskq;
    private final ControlCalls calls;
    private final List<String> destination;
    private final Duration timeout;

    Control(Taskq taskq, ControlCalls calls, List<String> destination, Duration timeout) {
        this.taskq = taskq;
        this.calls = calls;
        this.destination = List.copyOf(destination);
        this.timeout = timeout;
    }

    /**
     * One worker's reply.
     *
     * @param workerId the worker's id
     * @param nodeName its node name
     * @param value    what it answered; null if it failed
     * @param error    why it failed (a command it does not know, an argument it refuses); null if it did not
     * @param <T>      the command's value type
     */
    public record Reply<T>(String workerId, String nodeName, T value, String error) {
        /** Checks the ids. */
        public Reply {
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(nodeName, "nodeName");
        }

        /** Whether the worker carried the command out. */
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * A copy for these workers only, by worker id ({@link Worker#id()}) or node name
     * ({@link WorkerOptions.Builder#nodeName}); none: every worker (the default).
     */
    public Control destination(String... workersOrNodes) {
        return destination(Arrays.asList(workersOrNodes));
    }

    /** A copy for these workers only, by worker id or node name; empty: every worker. */
    public Control destination(Collection<String> workersOrNodes) {
        List<String> d = new ArrayList<>(workersOrNodes.size());
        for (String s : workersOrNodes) {
            d.add(Objects.requireNonNull(s, "destination"));
        }
        return new Control(taskq, calls, d, timeout);
    }

    /**
     * A copy that waits up to {@code timeout} for the replies.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Control timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the control timeout must be positive");
        }
        return new Control(taskq, calls, destination, timeout);
    }

    /** The destinations; empty: every worker. */
    public List<String> destination() {
        return destination;
    }

    /** How long each call waits for replies. */
    public Duration timeout() {
        return timeout;
    }

    /** Each live worker answers {@code "pong"} (Celery's {@code ping}). */
    public Map<String, Reply<String>> ping() {
        return call(ControlMessages.PING, Map.of(), String.class);
    }

    /** The tasks each worker runs now, with their start and run time (Celery's {@code inspect active}). */
    public Map<String, Reply<List<WorkerTask>>> active() {
        return call(ControlMessages.ACTIVE, Map.of(), ControlMessages.type(List.class, WorkerTask.class));
    }

    /** The tasks each worker claimed ahead and holds for a free slot (Celery's {@code inspect reserved}). */
    public Map<String, Reply<List<WorkerTask>>> reserved() {
        return call(ControlMessages.RESERVED, Map.of(), ControlMessages.type(List.class, WorkerTask.class));
    }

    /** The task names each worker's application registered, sorted (Celery's {@code inspect registered}). */
    public Map<String, Reply<List<String>>> registered() {
        return call(ControlMessages.REGISTERED, Map.of(), ControlMessages.type(List.class, String.class));
    }

    /** Each worker's {@link WorkerInfo} now, not as of its last heartbeat (Celery's {@code inspect stats}). */
    public Map<String, Reply<WorkerInfo>> stats() {
        return call(ControlMessages.STATS, Map.of(), WorkerInfo.class);
    }

    /**
     * Each worker stops claiming from {@code queue} ({@link Worker#pause}, Celery's {@code cancel_consumer}); the
     * value says whether it changed (false: paused already). A worker that does not consume the queue replies
     * with an error.
     */
    public Map<String, Reply<Boolean>> pause(String queue) {
        return call(ControlMessages.PAUSE, Map.of("queue", Objects.requireNonNull(queue, "queue")), Boolean.class);
    }

    /**
     * Each worker claims from {@code queue} again ({@link Worker#resume}, Celery's {@code add_consumer} of a queue it
     * consumes); the value says whether it changed (false: not paused).
     */
    public Map<String, Reply<Boolean>> resume(String queue) {
        return call(ControlMessages.RESUME, Map.of("queue", Objects.requireNonNull(queue, "queue")), Boolean.class);
    }

    /**
     * Each worker runs {@code n} tasks at once from now ({@link Worker#setConcurrency}, Celery's {@code pool_grow} /
     * {@code pool_shrink}); the value is its concurrency before.
     *
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public Map<String, Reply<Integer>> setConcurrency(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("concurrency must be positive, was " + n);
        }
        return call(ControlMessages.SET_CONCURRENCY, Map.of("n", n), Integer.class);
    }

    /**
     * Each worker closes gracefully ({@link Worker#close()}: it stops claiming, lets running tasks finish up to its
     * grace period and hands the rest back; its process goes on). It replies true before it starts closing, so the
     * reply does not wait for the drain. Celery's {@code shutdown}, without ending the process.
     */
    public Map<String, Reply<Boolean>> shutdown() {
        return call(ControlMessages.SHUTDOWN, Map.of(), Boolean.class);
    }

    /**
     * Revokes a task by id wherever it is, through the broker (it reaches the worker that runs it across processes
     * by itself; the destination and timeout do not apply): as {@link TaskHandle#revoke(String)} of
     * {@link Taskq#handle(String)}.
     */
    public RevokeResult revoke(String taskId) {
        return taskq.handle(taskId).revoke("revoked");
    }

    /** Revokes a task of a known queue through the broker, remembered if the queue does not know it yet. */
    public RevokeResult revoke(String queue, String taskId) {
        return taskq.handle(queue, taskId).revoke("revoked");
    }

    @SuppressWarnings("unchecked")
    private static <T> T immutable(T value) {
        return value instanceof List<?> l ? (T) List.copyOf(l) : value;
    }

    private <T> Map<String, Reply<T>> call(String name, Map<String, ?> args, Class<T> type) {
        return call(name, args, ControlMessages.type(type));
    }

    private <T> Map<String, Reply<T>> call(String name, Map<String, ?> args, JavaType type) {
        List<Reply<T>> out = new ArrayList<>();
        for (ControlMessages.Reply r : calls.call(name, args, destination, timeout).values()) {
            if (r.error() != null) {
                out.add(new Reply<>(r.workerId(), r.nodeName(), null, r.error()));
                continue;
            }
            try {
                T value = ControlMessages.value(r.ok(), type);
                out.add(new Reply<>(r.workerId(), r.nodeName(), immutable(value), null));
            } catch (IllegalArgumentException e) {
                out.add(new Reply<>(r.workerId(), r.nodeName(), null, e.getMessage()));
            }
        }
        out.sort(ORDER);
        Map<String, Reply<T>> byId = new LinkedHashMap<>();
        for (Reply<T> r : out) {
            byId.put(r.workerId(), r);
        }
        return Collections.unmodifiableMap(byId);
    }
}
