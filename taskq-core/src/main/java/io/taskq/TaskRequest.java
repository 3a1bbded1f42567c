package io.taskq;

import com.fasterxml.jackson.databind.JavaType;
import io.taskq.internal.Json;
import io.taskq.internal.MethodRefs;
import io.taskq.internal.TaskDefinition;
import io.taskq.internal.LimitSpec;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One task call with its options, ready to submit (Celery's signature with {@code apply_async} options). Immutable:
 * every {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * TaskRequest<String> r = TaskRequest.of(EmailTasks::send, "a@example.com", "Hello")
 *         .countdown(Duration.ofMinutes(5))
 *         .priority(8)
 *         .id("welcome-mail-42");
 * taskq.submit(r);
 * }</pre>
 *
 * @param <R> the task's result type
 */
public final class TaskRequest<R> {
    /**
     * The latest ETA or expiry taskq accepts, 9999-12-31T23:59:59.999Z: times travel as epoch milliseconds and as
     * ISO-8601 text with a four-digit year.
     */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final String taskName;
    private final List<Object> args;
    private final JavaType resultType;
    private final TaskDefinition definition;
    private String queue;
    private Integer priority;
    private Instant eta;
    private Duration countdown;
    private Instant expires;
    private Duration expiresIn;
    private String id;
    private Duration timeLimit;
    private Duration softTimeLimit;
    private Map<String, String> headers = Map.of();
    private boolean failIfDuplicate;
    private List<CanvasStep> callbacks = List.of();
    private List<CanvasStep> errbacks = List.of();
    /** The steps after this one when it starts a {@link Chain}, in running order. */
    private List<CanvasStep> chainRest = List.of();
    /** The chord whose header this request (or the chain it starts) is a member of, or null. */
    private io.taskq.internal.Embed.ChordRef chord;
    /** This call's own limits (docs/limits.md). */
    private CallLimits limits = CallLimits.NONE;
    /** The workflow root it joins (a group's id, for its members), or null: its own id, or its parent task's root. */
    private String root;

    private TaskRequest(String taskName, List<Object> args, JavaType resultType, TaskDefinition definition) {
        this.taskName = taskName;
        this.args = args;
        this.resultType = resultType;
        this.definition = definition;
    }

    private TaskRequest<R> copy() {
        TaskRequest<R> c = new TaskRequest<>(taskName, args, resultType, definition);
        c.queue = queue;
        c.priority = priority;
        c.eta = eta;
        c.countdown = countdown;
        c.expires = expires;
        c.expiresIn = expiresIn;
        c.id = id;
        c.timeLimit = timeLimit;
        c.softTimeLimit = softTimeLimit;
        c.headers = headers;
        c.failIfDuplicate = failIfDuplicate;
        c.callbacks = callbacks;
        c.errbacks = errbacks;
        c.chainRest = chainRest;
        c.chord = chord;
        c.root = root;
        c.limits = limits;
        return c;
    }

    /** A request for a method reference with these arguments: all of them, or all but the last (a signature). */
    static <R> TaskRequest<R> partial(Serializable ref, Object[] args) {
        return ofRef(ref, args);
    }

    private static <R> TaskRequest<R> ofRef(Serializable ref, Object[] args) {
        TaskDefinition def = MethodRefs.definitionOf(ref);
        return new TaskRequest<>(def.name(), Collections.unmodifiableList(Arrays.asList(args)), def.resultType(), def);
    }

    /** A request for a task method with 0 argument(s); the compiler checks the argument types. */
    public static <T, R> TaskRequest<R> of(TaskRef.Fn0<T, R> task) {
        return ofRef(task, new Object[] {});
    }

    /** A request for a task method with 0 argument(s); the compiler checks the argument types. */
    public static <T> TaskRequest<Void> of(TaskRef.Proc0<T> task) {
        return ofRef(task, new Object[] {});
    }

    /** A request for a task method with 1 argument(s); the compiler checks the argument types. */
    public static <T, A, R> TaskRequest<R> of(TaskRef.Fn1<T, A, R> task, A a) {
        return ofRef(task, new Object[] {a});
    }

    /** A request for a task method with 1 argument(s); the compiler checks the argument types. */
    public static <T, A> TaskRequest<Void> of(TaskRef.Proc1<T, A> task, A a) {
        return ofRef(task, new Object[] {a});
    }

    /** A request for a task method with 2 argument(s); the compiler checks the argument types. */
    public static <T, A, B, R> TaskRequest<R> of(TaskRef.Fn2<T, A, B, R> task, A a, B b) {
        return ofRef(task, new Object[] {a, b});
    }

    /** A request for a task method with 2 argument(s); the compiler checks the argument types. */
    public static <T, A, B> TaskRequest<Void> of(TaskRef.Proc2<T, A, B> task, A a, B b) {
        return ofRef(task, new Object[] {a, b});
    }

    /** A request for a task method with 3 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C, R> TaskRequest<R> of(TaskRef.Fn3<T, A, B, C, R> task, A a, B b, C c) {
        return ofRef(task, new Object[] {a, b, c});
    }

    /** A request for a task method with 3 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C> TaskRequest<Void> of(TaskRef.Proc3<T, A, B, C> task, A a, B b, C c) {
        return ofRef(task, new Object[] {a, b, c});
    }

    /** A request for a task method with 4 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C, D, R> TaskRequest<R> of(TaskRef.Fn4<T, A, B, C, D, R> task, A a, B b, C c, D d) {
        return ofRef(task, new Object[] {a, b, c, d});
    }

    /** A request for a task method with 4 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C, D> TaskRequest<Void> of(TaskRef.Proc4<T, A, B, C, D> task, A a, B b, C c, D d) {
        return ofRef(task, new Object[] {a, b, c, d});
    }

    /** A request for a task method with 5 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C, D, E, R> TaskRequest<R> of(TaskRef.Fn5<T, A, B, C, D, E, R> task, A a, B b, C c, D d, E e) {
        return ofRef(task, new Object[] {a, b, c, d, e});
    }

    /** A request for a task method with 5 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C, D, E> TaskRequest<Void> of(TaskRef.Proc5<T, A, B, C, D, E> task, A a, B b, C c, D d, E e) {
        return ofRef(task, new Object[] {a, b, c, d, e});
    }

    /** A request for a task method with 6 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C, D, E, F, R> TaskRequest<R> of(TaskRef.Fn6<T, A, B, C, D, E, F, R> task, A a, B b, C c, D d, E e, F f) {
        return ofRef(task, new Object[] {a, b, c, d, e, f});
    }

    /** A request for a task method with 6 argument(s); the compiler checks the argument types. */
    public static <T, A, B, C, D, E, F> TaskRequest<Void> of(TaskRef.Proc6<T, A, B, C, D, E, F> task, A a, B b, C c, D d, E e, F f) {
        return ofRef(task, new Object[] {a, b, c, d, e, f});
    }

    /** A request by task name; the result is decoded as plain JSON values (maps, lists, strings, numbers). */
    public static TaskRequest<Object> named(String taskName, Object... args) {
        return named(taskName, Object.class, args);
    }

    /**
     * A request by task name whose result is decoded as {@code resultType}.
     *
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public static <R> TaskRequest<R> named(String taskName, Class<R> resultType, Object... args) {
        Objects.requireNonNull(taskName, "taskName");
        io.taskq.internal.Names.check("task name", taskName);
        if (args == null) {
            throw new IllegalArgumentException("the arguments array is null: submit no arguments as named(\""
                    + taskName + "\"), or one null argument as named(\"" + taskName + "\", (Object) null)");
        }
        return new TaskRequest<>(taskName, Collections.unmodifiableList(Arrays.asList(args.clone())),
                Json.mapper().constructType(resultType), null);
    }

    /**
     * Sends to this queue instead of the task's default.
     *
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public TaskRequest<R> queue(String queue) {
        Objects.requireNonNull(queue, "queue");
        io.taskq.internal.Names.check("queue", queue);
        TaskRequest<R> c = copy();
        c.queue = queue;
        return c;
    }

    /** Priority 0 (lowest) to 9 (highest) instead of the task's default. */
    public TaskRequest<R> priority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority must be 0..9, was " + priority);
        }
        TaskRequest<R> c = copy();
        c.priority = priority;
        return c;
    }

    /** Runs no earlier than this delay after submit. Replaces an ETA. */
    public TaskRequest<R> countdown(Duration countdown) {
        if (countdown.isNegative()) {
            throw new IllegalArgumentException("countdown must not be negative");
        }
        TaskRequest<R> c = copy();
        c.countdown = countdown;
        c.eta = null;
        return c;
    }

    /** Runs no earlier than this instant. Replaces a countdown. */
    public TaskRequest<R> eta(Instant eta) {
        TaskRequest<R> c = copy();
        c.eta = schedulable("eta", Objects.requireNonNull(eta, "eta"));
        c.countdown = null;
        return c;
    }

    /** Not run (REVOKED, reason "expired") if it has not started by this instant. */
    public TaskRequest<R> expires(Instant expires) {
        TaskRequest<R> c = copy();
        c.expires = schedulable("expires", Objects.requireNonNull(expires, "expires"));
        c.expiresIn = null;
        return c;
    }

    /** Not run (REVOKED, reason "expired") if it has not started this long after submit. */
    public TaskRequest<R> expiresIn(Duration expiresIn) {
        TaskRequest<R> c = copy();
        c.expiresIn = Objects.requireNonNull(expiresIn, "expiresIn");
        c.expires = null;
        return c;
    }

    /**
     * Uses this task id instead of a random one. Submitting a request with an id the queue already knows (queued,
     * delayed, running, dead-lettered, or finished and its result still kept) creates nothing new, whatever its task
     * and arguments: the handle follows the existing task and its {@link TaskHandle#created()} is false; with
     * {@link #failIfDuplicate()} the submit throws instead.
     */
    public TaskRequest<R> id(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        TaskRequest<R> c = copy();
        c.id = id;
        return c;
    }

    /**
     * Makes the submit throw {@link DuplicateTaskException} (naming the id) when the queue already knows the id,
     * instead of returning a handle to the earlier task with {@link TaskHandle#created()} false.
     */
    public TaskRequest<R> failIfDuplicate() {
        TaskRequest<R> c = copy();
        c.failIfDuplicate = true;
        return c;
    }

    /** A time limit for each attempt, instead of the task's own. */
    public TaskRequest<R> timeLimit(Duration timeLimit) {
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive");
        }
        if (softTimeLimit != null && softTimeLimit.compareTo(timeLimit) >= 0) {
            throw new IllegalArgumentException("timeLimit " + timeLimit + " must be longer than softTimeLimit "
                    + softTimeLimit + " (the soft limit warns the task before the hard one ends it)");
        }
        TaskRequest<R> c = copy();
        c.timeLimit = timeLimit;
        return c;
    }

    /**
     * A soft time limit for each attempt, instead of the task's own (Celery's {@code soft_time_limit}): when it
     * passes, the task's thread is interrupted and {@link TaskContext#softTimeLimitExceeded()} turns true, so the
     * task may clean up and return; the hard {@link #timeLimit} still ends the attempt if it keeps running.
     *
     * @throws IllegalArgumentException if it is not positive, or not shorter than this request's hard time limit
     */
    public TaskRequest<R> softTimeLimit(Duration softTimeLimit) {
        if (softTimeLimit.isNegative() || softTimeLimit.isZero()) {
            throw new IllegalArgumentException("softTimeLimit must be positive");
        }
        if (timeLimit != null && softTimeLimit.compareTo(timeLimit) >= 0) {
            throw new IllegalArgumentException("softTimeLimit " + softTimeLimit + " must be shorter than timeLimit "
                    + timeLimit + " (the soft limit warns the task before the hard one ends it)");
        }
        TaskRequest<R> c = copy();
        c.softTimeLimit = softTimeLimit;
        return c;
    }

    /** Adds a custom header, visible to the task through {@link TaskContext#headers()}. */
    public TaskRequest<R> header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (io.taskq.internal.Envelope.RESERVED.contains(name) || name.equals(LimitSpec.HEADER)) {
            throw new IllegalArgumentException("header name '" + name + "' is reserved by taskq");
        }
        TaskRequest<R> c = copy();
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        c.headers = Collections.unmodifiableMap(h);
        return c;
    }

    /**
     * A rate limit for this call instead of the task's declared {@code @Task(rateLimit)}; it counts with the task's
     * other runs (the limit {@code task:<name>}, per key if there is one). See docs/limits.md.
     */
    public TaskRequest<R> rateLimit(RateLimit rate) {
        TaskRequest<R> c = copy();
        c.limits = limits.withRate(Objects.requireNonNull(rate, "rate"));
        return c;
    }

    /** At most {@code maxRunning} of the task's runs at once (per key), instead of its declared concurrency limit. */
    public TaskRequest<R> concurrencyLimit(int maxRunning) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("concurrencyLimit must be at least 1");
        }
        TaskRequest<R> c = copy();
        c.limits = limits.withMaxRunning(maxRunning);
        return c;
    }

    /**
     * The key this call's limits count under (a tenant id), instead of the one the task's {@code @Task(limitKey)}
     * takes from its header or argument.
     */
    public TaskRequest<R> limitKey(String key) {
        TaskRequest<R> c = copy();
        c.limits = limits.withKey(Objects.requireNonNull(key, "key"));
        return c;
    }

    /**
     * Makes this task unique in its queue for as long as {@code unique} says, instead of its
     * {@code @Task(uniqueUntil)}: a submit while another task holds the same key answers with that task's handle
     * ({@link TaskHandle#created()} false; {@link #failIfDuplicate()} makes it throw). See docs/limits.md.
     */
    public TaskRequest<R> unique(Uniqueness unique) {
        TaskRequest<R> c = copy();
        c.limits = limits.withUnique(Objects.requireNonNull(unique, "unique"), limits.uniqueKey());
        return c;
    }

    /**
     * The uniqueness key of this task instead of its name and arguments (at most 200 characters); the task is unique
     * {@code until finished} unless it or this request says otherwise.
     */
    public TaskRequest<R> uniqueKey(String key) {
        if (key.isEmpty() || key.length() > 200) {
            throw new IllegalArgumentException("a uniqueness key has 1 to 200 characters");
        }
        TaskRequest<R> c = copy();
        c.limits = limits.withUnique(limits.unique(), key);
        return c;
    }

    /**
     * Adds a callback (Celery's {@code link}): when this task succeeds, the worker enqueues {@code callback} with the
     * result appended to its arguments, atomically with the task's success, exactly once; its parent is this task.
     * Not on a retry, a failure or a revoke. See docs/workflows.md.
     */
    public TaskRequest<R> link(Signature<? super R, ?> callback) {
        return withCallback(Objects.requireNonNull(callback, "callback").step());
    }

    /** Adds a callback that does not take the result: {@code callback} runs as it is when this task succeeds. */
    public TaskRequest<R> link(TaskRequest<?> callback) {
        return withCallback(new CanvasStep(Objects.requireNonNull(callback, "callback"), false));
    }

    /**
     * Adds an error callback (Celery's {@code link_error}): when this task fails for good (retries exhausted, not
     * retryable, dead-lettered), the worker enqueues {@code errback} with a {@link TaskFailure} appended to its
     * arguments, atomically with the failure, exactly once. Not on a retry, a success or a revoke.
     */
    public TaskRequest<R> linkError(Signature<? super TaskFailure, ?> errback) {
        return withErrback(Objects.requireNonNull(errback, "errback").step());
    }

    /** Adds an error callback that does not take the failure: {@code errback} runs as it is. */
    public TaskRequest<R> linkError(TaskRequest<?> errback) {
        return withErrback(new CanvasStep(Objects.requireNonNull(errback, "errback"), false));
    }

    TaskRequest<R> withCallback(CanvasStep step) {
        TaskRequest<R> c = copy();
        c.callbacks = append(callbacks, step);
        return c;
    }

    TaskRequest<R> withErrback(CanvasStep step) {
        TaskRequest<R> c = copy();
        c.errbacks = append(errbacks, step);
        return c;
    }

    TaskRequest<R> withChainRest(List<CanvasStep> rest) {
        TaskRequest<R> c = copy();
        c.chainRest = List.copyOf(rest);
        return c;
    }

    TaskRequest<R> withChord(io.taskq.internal.Embed.ChordRef ref) {
        TaskRequest<R> c = copy();
        c.chord = ref;
        return c;
    }

    io.taskq.internal.Embed.ChordRef chord() {
        return chord;
    }

    TaskRequest<R> withRoot(String workflowRoot) {
        TaskRequest<R> c = copy();
        c.root = workflowRoot;
        return c;
    }

    String root() {
        return root;
    }

    private static List<CanvasStep> append(List<CanvasStep> list, CanvasStep step) {
        List<CanvasStep> l = new java.util.ArrayList<>(list);
        l.add(step);
        return List.copyOf(l);
    }

    /** Why this request cannot be a later step or a callback (its time is a countdown after the step before), or null. */
    String stepRefusal() {
        if (eta != null || expires != null || expiresIn != null) {
            return "a chain step or callback cannot have an eta or an expiry (use countdown: it counts from the"
                    + " end of the task before it)";
        }
        if (!headers.isEmpty() || failIfDuplicate || !chainRest.isEmpty() || chord != null) {
            return "a chain step or callback cannot have custom headers, failIfDuplicate or a chain of its own";
        }
        return null;
    }

    Duration countdownOrNull() {
        return countdown;
    }

    List<CanvasStep> callbacks() {
        return callbacks;
    }

    List<CanvasStep> errbacks() {
        return errbacks;
    }

    List<CanvasStep> chainRest() {
        return chainRest;
    }

    /** The task name. */
    public String taskName() {
        return taskName;
    }

    /** The arguments, in order. */
    public List<Object> args() {
        return args;
    }

    /** The explicit task id, if one was set. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    JavaType resultType() {
        return resultType;
    }

    TaskDefinition definition() {
        return definition;
    }

    String queueOr(String fallback) {
        return queue != null ? queue : fallback;
    }

    Integer priorityOrNull() {
        return priority;
    }

    Instant etaAt(Instant now) {
        return eta != null ? eta : countdown != null ? after(now, "countdown", countdown) : null;
    }

    Instant expiresAt(Instant now) {
        return expires != null ? expires : expiresIn != null ? after(now, "expiresIn", expiresIn) : null;
    }

    private static Instant schedulable(String what, Instant t) {
        if (t.isAfter(LATEST)) {
            throw new IllegalArgumentException(what + " " + t + " is after " + LATEST
                    + ", the latest time taskq can schedule");
        }
        if (t.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException(what + " " + t + " is before 1970-01-01T00:00:00Z");
        }
        return t;
    }

    /** now + d, refused (not overflowed) when it lies beyond {@link #LATEST}. */
    private static Instant after(Instant now, String what, Duration d) {
        if (Duration.between(now, LATEST).compareTo(d) < 0) {
            throw new IllegalArgumentException(what + " " + d + " from " + now + " is after " + LATEST
                    + ", the latest time taskq can schedule");
        }
        return now.plus(d);
    }

    Duration timeLimitOrNull() {
        return timeLimit;
    }

    Duration softTimeLimitOrNull() {
        return softTimeLimit;
    }

    Map<String, String> headers() {
        return headers;
    }

    CallLimits limits() {
        return limits;
    }

    boolean failsIfDuplicate() {
        return failIfDuplicate;
    }
}
