package io.taskq;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.internal.ArgsRepr;
import io.taskq.internal.ControlCalls;
import io.taskq.internal.DataCodec;
import io.taskq.internal.InMemoryBroker;
import io.taskq.internal.SubmitRetry;
import io.taskq.internal.TaskRegistry;
import io.taskq.internal.WorkerExtensions;
import io.taskq.internal.WorkflowOps;
import io.taskq.internal.events.EventPublisher;
import io.taskq.internal.events.LogEvents;
import io.taskq.internal.events.PublisherAccess;
import io.taskq.internal.worker.ControlResponder;
import io.taskq.internal.worker.WorkerEngine;
import io.taskq.spi.Broker;
import io.taskq.spi.ControlBus;
import io.taskq.spi.EventLog;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.ResultBackend;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskSummary;
import io.taskq.spi.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The entry point: registers tasks, submits them, starts workers, and inspects queues. One instance per
 * application; thread-safe; closing it stops the workers it started.
 *
 * <pre>{@code
 * try (Taskq taskq = Taskq.builder().tasks(new EmailTasks()).build()) {   // in-memory broker
 *     taskq.startWorker(WorkerOptions.builder().concurrency(4).build());
 *     TaskHandle<String> h = taskq.submit(EmailTasks::send, "a@example.com", "Hello");
 *     String receipt = h.get(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class Taskq implements AutoCloseable {
    /** The system property that names the application when {@link Builder#applicationName} does not. */
    public static final String APP_PROPERTY = "taskq.app";

    /**
     * Pages of {@link QueueAdmin#MAX_PAGE} tasks that {@link #workflow(String)} reads at most per queue and place
     * (there is no index by root id).
     */
    public static final int WORKFLOW_PAGES = 10;

    private final Broker broker;
    private final ResultBackend results;
    /** Set on the builder, or null: then the broker's own {@link Broker#queueAdmin()}. */
    private final QueueAdmin admin;
    private final boolean ownsBroker;
    private final Clock clock;
    private final TaskRegistry registry;
    private final List<WorkerEngine> workers = new CopyOnWriteArrayList<>();
    private final SubmitChain submitChain;
    private final Workflows workflows;
    private final DataCodec data;
    private final WorkerExtensions extensions;
    /** Null when events are off or the broker keeps none. */
    private final EventPublisher publisher;
    /** Null when the broker keeps no event stream. */
    private final Events events;
    /** The application's name for the worker registry, or null. */
    private final String application;
    /** Answers remote control for this taskq's workers; null when the broker has no control bus. */
    private final ControlResponder responder;
    private final Limits limits;
    private volatile boolean closed;

    static {
        // taskq's own modules (the scheduler) publish through this taskq's publisher, not through a public method.
        PublisherAccess.install(t -> t.publisher);
    }

    private Taskq(Builder b) {
        this.clock = b.clock;
        this.data = b.objectMapper != null ? DataCodec.of(b.objectMapper) : DataCodec.withModules(b.modules);
        this.registry = TaskRegistry.scan(b.tasks);
        if (b.broker == null) {
            InMemoryBroker memory = new InMemoryBroker(clock);
            this.broker = memory;
            this.results = memory;
            this.ownsBroker = true;
        } else {
            this.broker = b.broker;
            this.ownsBroker = b.closeBroker;
            if (b.results != null) {
                this.results = b.results;
            } else {
                this.results = b.broker.resultBackend().orElseThrow(() -> new IllegalArgumentException(
                        "the broker " + b.broker.getClass().getName() + " keeps no results: set a resultBackend too"));
            }
        }
        this.admin = b.admin;
        this.application = b.applicationName != null ? b.applicationName : System.getProperty(APP_PROPERTY);
        Optional<EventLog> eventLog = broker.eventLog();
        this.publisher = b.events && eventLog.isPresent()
                ? new EventPublisher(eventLog.get(), b.eventBuffer, Thread::new) : null;
        List<TaskListener> listeners = new ArrayList<>(b.listeners);
        if (publisher != null) {
            listeners.add(publisher);
        }
        LimitPlanner limitPlanner = new LimitPlanner(b.queueRateLimits);
        this.extensions = WorkerExtensions.of(registry, b.interceptors, listeners, b.retryPolicies,
                b.defaultRetryPolicy).withWorkerEvents(publisher != null ? publisher::publish : e -> { })
                .withArgsRepr(b.argsRepr).withFollowUpLimits((task, queue, headers, args) ->
                        limitPlanner.followUpHeaders(registry.find(task).map(TaskRegistry.Registered::definition)
                                .orElse(null), task, queue, headers, args));
        this.events = eventLog.map(l -> new LogEvents(l, publisher != null ? publisher::dropped : () -> 0,
                Thread::new)).orElse(null);
        this.responder = broker.controlBus().map(bus -> new ControlResponder(bus, () -> workers, registry::names,
                clock)).orElse(null);
        this.workflows = new Workflows(this, broker, registry, data, limitPlanner);
        Submissions submissions = new Submissions(this, broker, workflows,
                new SubmitRetry(broker, b.submitRetryTimeout), b.maxMessageBytes, extensions.listeners(),
                b.argsRepr, limitPlanner);
        this.limits = new Limits(broker.limitStore().orElse(null));
        this.submitChain = new SubmitChain(b.submitInterceptors,
                requests -> submissions.submitAll(requests, clock.instant()));
    }

    /** A builder; with nothing set it makes an in-memory taskq with no tasks. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ submit

    /** Submits a task method with 0 argument(s); the compiler checks the argument types. */
    public <T, R> TaskHandle<R> submit(TaskRef.Fn0<T, R> task) {
        return submit(TaskRequest.of(task));
    }

    /** Submits a task method with 0 argument(s); the compiler checks the argument types. */
    public <T> TaskHandle<Void> submit(TaskRef.Proc0<T> task) {
        return submit(TaskRequest.of(task));
    }

    /** Submits a task method with 1 argument(s); the compiler checks the argument types. */
    public <T, A, R> TaskHandle<R> submit(TaskRef.Fn1<T, A, R> task, A a) {
        return submit(TaskRequest.of(task, a));
    }

    /** Submits a task method with 1 argument(s); the compiler checks the argument types. */
    public <T, A> TaskHandle<Void> submit(TaskRef.Proc1<T, A> task, A a) {
        return submit(TaskRequest.of(task, a));
    }

    /** Submits a task method with 2 argument(s); the compiler checks the argument types. */
    public <T, A, B, R> TaskHandle<R> submit(TaskRef.Fn2<T, A, B, R> task, A a, B b) {
        return submit(TaskRequest.of(task, a, b));
    }

    /** Submits a task method with 2 argument(s); the compiler checks the argument types. */
    public <T, A, B> TaskHandle<Void> submit(TaskRef.Proc2<T, A, B> task, A a, B b) {
        return submit(TaskRequest.of(task, a, b));
    }

    /** Submits a task method with 3 argument(s); the compiler checks the argument types. */
    public <T, A, B, C, R> TaskHandle<R> submit(TaskRef.Fn3<T, A, B, C, R> task, A a, B b, C c) {
        return submit(TaskRequest.of(task, a, b, c));
    }

    /** Submits a task method with 3 argument(s); the compiler checks the argument types. */
    public <T, A, B, C> TaskHandle<Void> submit(TaskRef.Proc3<T, A, B, C> task, A a, B b, C c) {
        return submit(TaskRequest.of(task, a, b, c));
    }

    /** Submits a task method with 4 argument(s); the compiler checks the argument types. */
    public <T, A, B, C, D, R> TaskHandle<R> submit(TaskRef.Fn4<T, A, B, C, D, R> task, A a, B b, C c, D d) {
        return submit(TaskRequest.of(task, a, b, c, d));
    }

    /** Submits a task method with 4 argument(s); the compiler checks the argument types. */
    public <T, A, B, C, D> TaskHandle<Void> submit(TaskRef.Proc4<T, A, B, C, D> task, A a, B b, C c, D d) {
        return submit(TaskRequest.of(task, a, b, c, d));
    }

    /** Submits a task method with 5 argument(s); the compiler checks the argument types. */
    public <T, A, B, C, D, E, R> TaskHandle<R> submit(TaskRef.Fn5<T, A, B, C, D, E, R> task, A a, B b, C c, D d, E e) {
        return submit(TaskRequest.of(task, a, b, c, d, e));
    }

    /** Submits a task method with 5 argument(s); the compiler checks the argument types. */
    public <T, A, B, C, D, E> TaskHandle<Void> submit(TaskRef.Proc5<T, A, B, C, D, E> task, A a, B b, C c, D d, E e) {
        return submit(TaskRequest.of(task, a, b, c, d, e));
    }

    /** Submits a task method with 6 argument(s); the compiler checks the argument types. */
    public <T, A, B, C, D, E, F, R> TaskHandle<R> submit(TaskRef.Fn6<T, A, B, C, D, E, F, R> task, A a, B b, C c, D d, E e, F f) {
        return submit(TaskRequest.of(task, a, b, c, d, e, f));
    }

    /** Submits a task method with 6 argument(s); the compiler checks the argument types. */
    public <T, A, B, C, D, E, F> TaskHandle<Void> submit(TaskRef.Proc6<T, A, B, C, D, E, F> task, A a, B b, C c, D d, E e, F f) {
        return submit(TaskRequest.of(task, a, b, c, d, e, f));
    }

    /** Submits a task by name (Celery's {@code send_task}); the result is decoded as plain JSON values. */
    public TaskHandle<Object> submit(String taskName, Object... args) {
        return submit(TaskRequest.named(taskName, args));
    }

    /**
     * Submits a request with its options. A transient broker failure (timeout, lost connection) is retried with
     * the same task id within {@link Builder#submitRetryTimeout}, so a retried submit never makes a second task.
     *
     * @throws SubmitException       if the task could not be sent; it names the task id (the task may have landed)
     * @throws IllegalStateException if this taskq is closed
     */
    @SuppressWarnings("unchecked")
    public <R> TaskHandle<R> submit(TaskRequest<R> request) {
        return (TaskHandle<R>) submitAll(List.of(request)).get(0);
    }

    /** Submits a {@link Chain} (see docs/workflows.md); the handle follows its last step. */
    public <R> ChainHandle<R> submit(Chain<R> chain) {
        return workflows.submit(chain);
    }

    /**
     * Submits a {@link Group}: its members in batches of {@link Group#BATCH} per broker call, their ids derived from
     * the group's (see docs/workflows.md).
     */
    public <T> GroupHandle<T> submit(Group<T> group) {
        return workflows.submit(group);
    }

    /** Submits a {@link Chord}: its header's members, each carrying the callback (see docs/workflows.md). */
    public <R> ChordHandle<R> submit(Chord<R> chord) {
        return workflows.submit(chord);
    }

    /**
     * Submits many requests in one broker call (retried like {@link #submit(TaskRequest)}); handles come back in
     * the same order, each saying whether it was {@link TaskHandle#created() created}. Every request is checked
     * before anything is sent: a bad one fails the call with nothing submitted. If requests that asked to
     * {@link TaskRequest#failIfDuplicate() fail on a duplicate} were duplicates, the others are still submitted and
     * a {@link DuplicateTaskException} names those ids (and carries every handle). The call runs through the
     * {@link Builder#submitInterceptor submit interceptors}, if any.
     *
     * @throws SubmitException       if the tasks could not be sent; it says, per task, which are known to be in the
     *                               broker, and gives the requests to send again (same ids, so no task twice)
     * @throws IllegalStateException if this taskq is closed
     */
    public List<TaskHandle<?>> submitAll(List<? extends TaskRequest<?>> requests) {
        checkOpen();
        return submitChain.submit(requests);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("taskq is closed");
        }
    }

    // ------------------------------------------------------------------ follow

    /**
     * A handle for a task known by its id alone (Celery's {@code AsyncResult(id)}); its result decodes as plain JSON
     * values. The queue is looked up (in every queue of the broker's namespace) when first needed and then kept.
     */
    public TaskHandle<Object> handle(String id) {
        return handle(id, Object.class);
    }

    /** A handle for a task known by its id alone, whose result decodes as {@code resultType}. */
    public <R> TaskHandle<R> handle(String id, Class<R> resultType) {
        return new TaskHandle<>(requireId(id), null, data.mapper().constructType(resultType), this, false);
    }

    /**
     * A handle for a task known by queue and id, bound to that queue (no lookup); its result decodes as plain JSON
     * values. A queue that does not know the id answers {@link TaskState#UNKNOWN}.
     */
    public TaskHandle<Object> handle(String queue, String id) {
        return handle(queue, id, Object.class);
    }

    /** A handle bound to a queue, whose result decodes as {@code resultType}. */
    public <R> TaskHandle<R> handle(String queue, String id, Class<R> resultType) {
        Objects.requireNonNull(queue, "queue");
        return new TaskHandle<>(requireId(id), queue, data.mapper().constructType(resultType), this, false);
    }

    private static String requireId(String id) {
        Objects.requireNonNull(id, "id");
        return id;
    }

    /**
     * What is known about many tasks by id, in one call per queue of the broker's namespace (for dashboards and
     * audits). Every id given is in the map, in the given order; an id no queue knows has state
     * {@link TaskState#UNKNOWN} and a null queue.
     */
    public Map<String, TaskInfo> lookup(Collection<String> ids) {
        Map<String, TaskLocation> found = broker.locate(ids);
        Map<String, TaskInfo> out = new LinkedHashMap<>();
        for (String id : ids) {
            TaskLocation l = found.get(id);
            out.put(id, l == null ? TaskHandle.unknown(id, null) : TaskHandle.infoOf(l, objectMapper()));
        }
        return Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------ workers

    /** Starts a worker with the default options (8 threads, queue "default"). */
    public Worker startWorker() {
        return startWorker(WorkerOptions.defaults());
    }

    /** Starts a worker; it runs until it or this taskq is closed. */
    public Worker startWorker(WorkerOptions options) {
        Objects.requireNonNull(options, "options");
        checkOpen();
        if (registry.names().isEmpty()) {
            throw new IllegalStateException("no tasks registered: pass task objects to Taskq.builder().tasks(...)");
        }
        WorkerEngine w = new WorkerEngine(broker, registry, clock, options, data, extensions, application);
        if (responder != null) {
            // Listening before the worker starts: a command sent once it is listed reaches it.
            responder.start();
        }
        w.start();
        workers.add(w);
        return w;
    }

    /**
     * The live workers of the broker's namespace: those of this and of every other process sharing the broker, as
     * each told the broker's worker registry at its last heartbeat, sorted by node name, then id (at most
     * {@link WorkerRegistry#MAX_LISTED}). A worker is listed from its start until it closes; one that stops
     * heartbeating (killed, frozen, cut off) drops out within three heartbeat intervals
     * ({@link WorkerOptions.Builder#heartbeatInterval}, 15 s by default) plus the time of one listing.
     *
     * @throws UnsupportedOperationException if the broker keeps no worker registry ({@link Broker#workerRegistry()})
     */
    public List<WorkerInfo> workers() {
        WorkerRegistry r = broker.workerRegistry().orElseThrow(() -> new UnsupportedOperationException(
                "the broker " + broker.getClass().getName() + " keeps no worker registry"));
        List<WorkerInfo> live = new ArrayList<>(r.live());
        live.sort(WorkerInfo.ORDER);
        return List.copyOf(live);
    }

    /**
     * The limits' run-time values: change a declared rate or concurrency limit for every worker, from the next claim
     * on (docs/limits.md).
     */
    public Limits limits() {
        return limits;
    }

    /**
     * Remote control of the live workers of the broker's namespace, in every process sharing the broker: ping,
     * inspect (active, reserved, registered, stats), pause and resume a queue, change the concurrency, shut a worker
     * down, revoke (Celery's {@code app.control} and {@code inspect}). To every worker, waiting
     * {@link Control#DEFAULT_TIMEOUT}; narrow it with {@link Control#destination} and {@link Control#timeout}. See
     * docs/operations.md.
     *
     * @throws UnsupportedOperationException if the broker offers no control bus ({@link Broker#controlBus()})
     */
    public Control control() {
        ControlBus bus = broker.controlBus().orElseThrow(() -> new UnsupportedOperationException(
                "the broker " + broker.getClass().getName() + " offers no remote control"));
        return new Control(this, new ControlCalls(bus, broker.workerRegistry().orElse(null), clock), List.of(),
                Control.DEFAULT_TIMEOUT);
    }

    // ------------------------------------------------------------------ inspect

    // The calls below go to the queue administration (see queueAdmin()); each throws UnsupportedOperationException
    // if there is none.

    /** Counts of a queue. */
    public QueueStats stats(String queue) {
        return queueAdmin().stats(queue);
    }

    /**
     * Dead letters of a queue, newest first; entries the broker cannot read in full are listed as incomplete
     * ({@link DeadLetter#incomplete()}).
     */
    public List<DeadLetter> deadLetters(String queue, int limit) {
        return queueAdmin().deadLetters(queue, limit);
    }

    /**
     * Sends a dead letter back to its queue with its retry count reset. Reads and moves only that dead letter.
     *
     * @return false if there is no such dead letter
     * @throws IllegalStateException if the dead letter is incomplete ({@link DeadLetter#incomplete()}): its
     *                               message was not kept whole, so there is nothing to send
     */
    public boolean resubmitDeadLetter(String queue, String id) {
        return new DeadLetterOps(clock).resubmit(queueAdmin(), queue, id);
    }

    /**
     * Sends up to {@code limit} dead letters that match {@code filter} back to their queue, oldest first, each with
     * its retry count reset as {@link #resubmitDeadLetter} does; incomplete ones are skipped. Works page by page
     * ({@link QueueAdmin#findDeadLetters}), never reading the whole dead-letter set at once.
     *
     * @param limit most to resubmit; {@code Long.MAX_VALUE} for every match
     * @return how many went back
     */
    public long resubmitDeadLetters(String queue, DeadLetterFilter filter, long limit) {
        return new DeadLetterOps(clock).resubmit(queueAdmin(), queue, filter, limit);
    }

    /** Deletes up to {@code limit} dead letters that match {@code filter}; see {@link QueueAdmin#deleteDeadLetters}. */
    public long deleteDeadLetters(String queue, DeadLetterFilter filter, long limit) {
        return queueAdmin().deleteDeadLetters(queue, filter, limit);
    }

    /** Deletes the ready tasks of a queue (Celery's purge); see {@link QueueAdmin#purge}. Returns how many. */
    public long purge(String queue) {
        return queueAdmin().purge(queue);
    }

    /** Deletes a queue's dead letters; returns how many there were. */
    public long purgeDeadLetters(String queue) {
        return queueAdmin().purgeDeadLetters(queue);
    }

    /**
     * The tasks of a workflow: every task whose root is {@code rootId} ({@link TaskInfo#root()}: the first task of
     * a chain, of a task and its callbacks; the root itself included) that some queue holds queued, delayed or
     * running, or whose record or dead letter is still kept, in every queue, each once, in that order of places.
     * There is no index by root: each queue's places are read page by page ({@link QueueAdmin#tasks}) and at most
     * {@value #WORKFLOW_PAGES} pages of {@value QueueAdmin#MAX_PAGE} per queue and place, so on
     * a queue holding more a task of the workflow beyond them is not listed. See docs/workflows.md#lineage.
     *
     * @throws UnsupportedOperationException if there is no queue administration ({@link #queueAdmin()})
     */
    public List<TaskSummary> workflow(String rootId) {
        return WorkflowOps.list(queueAdmin(), rootId);
    }

    /**
     * Revokes a workflow as a whole: every task of {@link #workflow(String)} that is queued or delayed is removed,
     * every running one interrupted (so it sends nothing after it), and the listing is read again until a pass finds
     * no task it has not revoked yet (a step that finished meanwhile may have sent the next), at most
     * {@value io.taskq.internal.WorkflowOps#REVOKE_PASSES} passes. Tasks not sent yet are not remembered (unlike
     * {@link ChainHandle#revoke()}, which knows the chain's ids): they are stopped by revoking the task before them.
     *
     * @param reason kept in the REVOKED records
     * @return how many tasks were removed or signalled
     * @throws UnsupportedOperationException if there is no queue administration ({@link #queueAdmin()})
     */
    public long revokeWorkflow(String rootId, String reason) {
        return WorkflowOps.revoke(broker, queueAdmin(), rootId, reason);
    }

    /** Names of the tasks registered here. */
    public Set<String> taskNames() {
        return registry.names();
    }

    /** The broker, for operations the facade does not offer. */
    public Broker broker() {
        return broker;
    }

    /**
     * The administration of the queues (counts, paged listings of the tasks in each place, dead letters): the one
     * set with {@link Builder#queueAdmin}, else the broker's own ({@link Broker#queueAdmin()}: the in-memory and
     * Redis brokers have one). {@link #stats}, {@link #deadLetters}, {@link #resubmitDeadLetter} and
     * {@link #purgeDeadLetters} go through it.
     *
     * <pre>{@code
     * TaskPage page = taskq.queueAdmin().tasks("emails", TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 50, null);
     * // next page: ...tasks("emails", QUEUED, OLDEST_FIRST, 50, page.next()) while page.next() != null
     * }</pre>
     *
     * @throws UnsupportedOperationException if neither the builder nor the broker provides one
     */
    public QueueAdmin queueAdmin() {
        if (admin != null) {
            return admin;
        }
        return broker.queueAdmin().orElseThrow(() -> new UnsupportedOperationException("the broker "
                + broker.getClass().getName() + " offers no queue administration: set one with"
                + " Taskq.Builder.queueAdmin"));
    }

    /**
     * The event stream of this broker's namespace: every task's transitions as this and every other application
     * sharing the broker told them (unless {@link Builder#events(boolean) turned off}), read from a position or
     * followed live. See docs/events.md.
     *
     * @throws UnsupportedOperationException if the broker keeps no event stream ({@link Broker#eventLog()})
     */
    public Events events() {
        if (events == null) {
            throw new UnsupportedOperationException("the broker " + broker.getClass().getName()
                    + " keeps no event stream");
        }
        return events;
    }

    /** The result backend. */
    public ResultBackend resultBackend() {
        return results;
    }

    /** The clock taskq uses. */
    public Clock clock() {
        return clock;
    }

    /**
     * A copy of the mapper this taskq encodes task arguments and results with (the one given to
     * {@link Builder#objectMapper}, or taskq's own with the {@link Builder#jacksonModules}), with taskq's checks
     * added; for code that encodes the same data itself, as the scheduler does with periodic tasks' arguments.
     */
    public ObjectMapper objectMapper() {
        return data.mapper().copy();
    }

    /** The codec of task arguments and results, for the handles of this taskq. */
    DataCodec data() {
        return data;
    }

    /**
     * Stops the workers this taskq started (draining each), then closes the broker if taskq created it. Submits and
     * new workers are refused from now on.
     */
    @Override
    public void close() {
        closed = true;
        if (responder != null) {
            responder.close();
        }
        // Drain all workers at once (each may wait its grace period), on threads of their own rather than the
        // common pool, which application code may keep busy.
        List<Thread> closers = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(w::close, "taskq-close-" + w.id());
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
        if (publisher != null) {
            publisher.close();
        }
        if (ownsBroker) {
            broker.close();
        }
    }

    /** Builds a {@link Taskq}. */
    public static final class Builder {
        private final List<Object> tasks = new ArrayList<>();
        private String applicationName;
        private Broker broker;
        private ResultBackend results;
        private QueueAdmin admin;
        private boolean closeBroker;
        private Clock clock = Clock.systemUTC();
        private int maxMessageBytes = 1 << 20;
        private Duration submitRetryTimeout = Duration.ofSeconds(10);
        private ObjectMapper objectMapper;
        private final List<Module> modules = new ArrayList<>();
        private final List<TaskInterceptor> interceptors = new ArrayList<>();
        private final List<SubmitInterceptor> submitInterceptors = new ArrayList<>();
        private final List<TaskListener> listeners = new ArrayList<>();
        private boolean events = true;
        private int eventBuffer = 10_000;
        private final Map<String, RetryPolicy> retryPolicies = new LinkedHashMap<>();
        private RetryPolicy defaultRetryPolicy;
        private ArgsRepr argsRepr = ArgsRepr.OFF;
        private final Map<String, RateLimit> queueRateLimits = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The Jackson mapper for task arguments and results (the application's data), instead of taskq's own: for
         * the application's modules and settings (Kotlin, money types, naming strategies). It is copied when the
         * taskq is built. taskq's own fields (envelope, records, dead letters, schedule entries) keep their
         * format whatever the mapper says. Producers and workers of a queue must use mappers that agree on the
         * data. Not together with {@link #jacksonModules}.
         *
         * @throws IllegalArgumentException from {@link #build()} if the mapper has Jackson default typing
         *                                  activated: message data would then choose the class to instantiate
         */
        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Adds an interceptor around every task invocation of the workers this taskq starts. Several nest in the
         * order added, the first outermost. See {@link TaskInterceptor}.
         */
        public Builder interceptor(TaskInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Adds an interceptor around every submit of this taskq, on the submitting thread. Several nest in the order
         * added, the first outermost. See {@link SubmitInterceptor}.
         */
        public Builder submitInterceptor(SubmitInterceptor interceptor) {
            submitInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Jackson modules added to taskq's own mapper for task arguments and results (e.g. a module with the
         * serializer and deserializer of a money type); repeatable. Not together with {@link #objectMapper}.
         */
        public Builder jacksonModules(Module... modules) {
            for (Module m : modules) {
                this.modules.add(Objects.requireNonNull(m, "module"));
            }
            return this;
        }

        /**
         * Adds a listener of the task events of this taskq's submits and of the workers it starts, called in the
         * order added. It runs on the submitting and the worker's threads: see {@link TaskListener} for what a slow
         * or failing listener does.
         */
        public Builder listener(TaskListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Whether this application publishes its task events to the broker's event stream ({@link Taskq#events()}),
         * default true; they are published in the background, and dropped rather than slow a task. Reading the
         * stream works either way.
         */
        public Builder events(boolean publish) {
            this.events = publish;
            return this;
        }

        /**
         * Shows each task's arguments, as the JSON text of its message cut to {@code maxChars} characters (an
         * ellipsis ends a cut text), in {@code SENT} and {@code STARTED} events ({@link TaskEvent#args()}, the stream's
         * {@code args} field) and in {@link Control#active()} / {@link Control#reserved()}. Default 0: off, as
         * arguments may hold personal data. Never made by calling {@code toString} on the application's objects.
         *
         * @throws IllegalArgumentException if negative, or from 1 to 3 (no room besides the ellipsis)
         */
        public Builder argsRepr(int maxChars) {
            this.argsRepr = ArgsRepr.of(maxChars);
            return this;
        }

        /**
         * How many events may wait to be published before new ones are dropped (default 10,000): room for a burst
         * while the broker is slow.
         */
        public Builder eventBuffer(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("the event buffer must hold at least one event");
            }
            this.eventBuffer = events;
            return this;
        }

        /**
         * The retry policy of one task, instead of the one its {@link Task} attributes make. The task must be
         * registered ({@link #build()} says otherwise).
         */
        public Builder retryPolicy(String taskName, RetryPolicy policy) {
            retryPolicies.put(Objects.requireNonNull(taskName, "taskName"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * The retry policy of the tasks whose {@link Task} sets none of the retry attributes ({@code maxRetries},
         * {@code backoff...}, {@code retryOn}, {@code noRetryOn}) to a value other than its default; by default such
         * tasks are not retried. A task that sets any of them keeps its own; {@link #retryPolicy(String, RetryPolicy)}
         * overrides both.
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.defaultRetryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How long a submit keeps retrying a transient broker failure (timeout, lost connection, a Redis still
         * loading or without its master), with the same task ids and a growing pause in between, before it throws
         * {@link SubmitException} (default 10 s). {@link Duration#ZERO}: no retry.
         */
        public Builder submitRetryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("submitRetryTimeout must not be negative");
            }
            this.submitRetryTimeout = timeout;
            return this;
        }

        /**
         * Registers objects whose {@link Task} methods this application runs. A task name defined twice is
         * rejected by {@link #build()}.
         */
        public Builder tasks(Object... instances) {
            tasks.addAll(Arrays.asList(instances));
            return this;
        }

        /**
         * The name of this application, shown with each of its workers in the worker registry
         * ({@link Taskq#workers()}, {@link WorkerInfo#application()}), so that applications sharing a broker tell
         * their workers apart. Default: the system property {@value Taskq#APP_PROPERTY} if set, else none.
         */
        public Builder applicationName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("applicationName must not be blank");
            }
            this.applicationName = name;
            return this;
        }

        /**
         * The broker to use; by default an in-memory one. If it also implements {@link ResultBackend} it serves as
         * the result backend too.
         */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker);
            return this;
        }

        /** Closes the broker when taskq is closed (default: the caller closes a broker it passed in). */
        public Builder closeBrokerOnClose(boolean close) {
            this.closeBroker = close;
            return this;
        }

        /** The result backend, when the broker is not one. */
        public Builder resultBackend(ResultBackend results) {
            this.results = Objects.requireNonNull(results);
            return this;
        }

        /**
         * The queue administration to use instead of the broker's own ({@link Broker#queueAdmin()}), for a broker
         * that offers none or an administration kept apart (another connection, say). Not needed for the in-memory
         * and Redis brokers: they bring theirs.
         */
        public Builder queueAdmin(QueueAdmin admin) {
            this.admin = Objects.requireNonNull(admin);
            return this;
        }

        /** The clock for ETAs, expiry and backoff (tests pass a controllable one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * A rate limit over every task sent to {@code queue}, across all workers (the limit {@code queue:<name>},
         * changed at run time through {@link Taskq#limits()}); see docs/limits.md.
         */
        public Builder queueRateLimit(String queue, RateLimit rate) {
            io.taskq.internal.Names.check("queue", queue);
            this.queueRateLimits.put(queue, Objects.requireNonNull(rate, "rate"));
            return this;
        }

        /** Largest message a submit may produce (default 1 MiB). */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * Scans the tasks and builds.
         *
         * @throws IllegalArgumentException if both an object mapper and Jackson modules were given, or the mapper
         *                                  has default typing activated
         */
        public Taskq build() {
            if (objectMapper != null && !modules.isEmpty()) {
                throw new IllegalArgumentException("set either objectMapper(...) or jacksonModules(...), not both:"
                        + " register the modules on the mapper you pass");
            }
            return new Taskq(this);
        }
    }
}
