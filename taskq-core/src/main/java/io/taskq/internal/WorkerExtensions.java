package io.taskq.internal;

import io.taskq.Event;
import java.util.Objects;
import java.util.function.Consumer;

import io.taskq.RetryPolicy;
import io.taskq.TaskInterceptor;
import io.taskq.TaskListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the application plugs into its workers ({@code Taskq.Builder}): the interceptors around each invocation, the
 * listeners of task events, and the retry policy of each registered task.
 *
 * @param interceptors  outermost first
 * @param listeners     in registration order
 * @param retryPolicies the policy of every registered task, by name
 * @param workerEvents  where a worker's own events go (online, heartbeat, offline): the event stream's publisher,
 *                      or nowhere
 * @param argsRepr      how the arguments are shown in STARTED events and remote-control listings
 * @param followUpLimits the limits of the workflows' follow-ups the workers send
 */
public record WorkerExtensions(List<TaskInterceptor> interceptors, List<TaskListener> listeners,
                               Map<String, RetryPolicy> retryPolicies, Consumer<Event> workerEvents,
                               ArgsRepr argsRepr, FollowUpLimits followUpLimits) {

    /** Copies the collections. */
    public WorkerExtensions {
        interceptors = List.copyOf(interceptors);
        listeners = List.copyOf(listeners);
        retryPolicies = Map.copyOf(retryPolicies);
        Objects.requireNonNull(workerEvents, "workerEvents");
        Objects.requireNonNull(argsRepr, "argsRepr");
        Objects.requireNonNull(followUpLimits, "followUpLimits");
    }

    /** Extensions whose workers' own events go nowhere. */
    public WorkerExtensions(List<TaskInterceptor> interceptors, List<TaskListener> listeners,
                            Map<String, RetryPolicy> retryPolicies) {
        this(interceptors, listeners, retryPolicies, e -> { }, ArgsRepr.OFF, FollowUpLimits.NONE);
    }

    /** A copy whose workers send their own events (online, heartbeat, offline) to {@code sink}. */
    public WorkerExtensions withWorkerEvents(Consumer<Event> sink) {
        return new WorkerExtensions(interceptors, listeners, retryPolicies, sink, argsRepr, followUpLimits);
    }

    /** A copy whose workers show the arguments as {@code repr} says. */
    public WorkerExtensions withArgsRepr(ArgsRepr repr) {
        return new WorkerExtensions(interceptors, listeners, retryPolicies, workerEvents, repr, followUpLimits);
    }

    /** A copy whose workers give the follow-ups they send the limits {@code limits} works out. */
    public WorkerExtensions withFollowUpLimits(FollowUpLimits limits) {
        return new WorkerExtensions(interceptors, listeners, retryPolicies, workerEvents, argsRepr, limits);
    }

    /**
     * Resolves each registered task's retry policy: the one set for its name, else its {@code @Task} attributes
     * unless they are all at their defaults, else {@code fallback} (when set).
     *
     * @param byName   policies set per task name; every name must be registered
     * @param fallback the policy of tasks that declare no retry attribute, or null to keep theirs (none)
     * @throws IllegalArgumentException if a policy names a task that is not registered
     */
    public static WorkerExtensions of(TaskRegistry registry, List<TaskInterceptor> interceptors,
                                      List<TaskListener> listeners, Map<String, RetryPolicy> byName,
                                      RetryPolicy fallback) {
        for (String name : byName.keySet()) {
            if (registry.find(name).isEmpty()) {
                throw new IllegalArgumentException("retryPolicy for task '" + name + "', which is not registered"
                        + " (registered: " + registry.names() + ")");
            }
        }
        Map<String, RetryPolicy> policies = new HashMap<>();
        for (String name : registry.names()) {
            RetryPolicy declared = registry.find(name).orElseThrow().definition().retryPolicy();
            RetryPolicy own = fallback != null && declared.equals(RetryPolicy.none()) ? fallback : declared;
            policies.put(name, byName.getOrDefault(name, own));
        }
        return new WorkerExtensions(interceptors, listeners, policies);
    }

    /** The policy of a task; none (a failure is final) for a name not registered. */
    public RetryPolicy retryPolicy(String taskName) {
        return retryPolicies.getOrDefault(taskName, RetryPolicy.none());
    }
}
