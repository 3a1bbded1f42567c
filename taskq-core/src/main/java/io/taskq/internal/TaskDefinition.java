package io.taskq.internal;

import com.fasterxml.jackson.databind.JavaType;
import io.taskq.RetryPolicy;
import io.taskq.Task;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.List;

/**
 * A {@link Task} method with its options parsed and validated: what the worker needs to run it and what the
 * client needs to submit it.
 */
public record TaskDefinition(String name, Method method, List<JavaType> parameterTypes, JavaType resultType,
                             String queue, int priority, RetryPolicy retryPolicy, Duration timeLimit,
                             Duration softTimeLimit, boolean ignoreResult) {

    /** Reads and validates the annotation of a method. */
    public static TaskDefinition of(Method method) {
        Task t = method.getAnnotation(Task.class);
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        if (t == null) {
            throw new IllegalArgumentException(where + " is not annotated with @Task");
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new IllegalArgumentException("@Task " + where + " is not public: make it public (task methods are"
                    + " called by workers and named by producers, like any public API of the application)");
        }
        if (Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException("@Task " + where + " is static; tasks are instance methods");
        }
        String name = t.name().isBlank() ? where : t.name().trim();
        Names.check("@Task " + where + ": name", name);
        Names.check("@Task " + where + ": queue", t.queue());
        if (t.priority() < 0 || t.priority() > 9) {
            throw new IllegalArgumentException("@Task " + where + ": priority must be 0..9, was " + t.priority());
        }
        RetryPolicy retryPolicy = retryPolicy(t, where);
        var tf = Json.mapper().getTypeFactory();
        List<JavaType> params = new java.util.ArrayList<>();
        for (Parameter p : method.getParameters()) {
            params.add(tf.constructType(p.getParameterizedType()));
        }
        JavaType result = tf.constructType(method.getGenericReturnType());
        Duration timeLimit = Durations.parse(t.timeLimit(), "@Task " + where + " timeLimit");
        Duration softTimeLimit = Durations.parse(t.softTimeLimit(), "@Task " + where + " softTimeLimit");
        if (timeLimit != null && softTimeLimit != null && softTimeLimit.compareTo(timeLimit) >= 0) {
            throw new IllegalArgumentException("@Task " + where + ": softTimeLimit " + t.softTimeLimit()
                    + " must be shorter than timeLimit " + t.timeLimit());
        }
        TaskLimits.of(method); // checked at registration, like the other attributes
        method.setAccessible(true);
        return new TaskDefinition(name, method, List.copyOf(params), result, t.queue().trim(), t.priority(),
                retryPolicy, timeLimit, softTimeLimit, t.ignoreResult());
    }

    /** True if the method returns nothing. */
    public boolean isVoid() {
        return method.getReturnType() == void.class;
    }

    /** The retry attributes of the annotation as a policy; an empty backoff is none, an empty backoffMax no bound. */
    private static RetryPolicy retryPolicy(Task t, String where) {
        Duration backoff = Durations.parse(t.backoff(), "@Task " + where + " backoff");
        Duration backoffMax = Durations.parse(t.backoffMax(), "@Task " + where + " backoffMax");
        try {
            return RetryPolicy.builder().maxRetries(t.maxRetries())
                    .backoff(backoff == null ? Duration.ZERO : backoff).backoffMultiplier(t.backoffMultiplier())
                    .backoffMax(backoffMax == null ? Backoff.NO_MAX : backoffMax).backoffJitter(t.backoffJitter())
                    .retryOn(t.retryOn()).noRetryOn(t.noRetryOn()).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@Task " + where + ": " + e.getMessage(), e);
        }
    }

    /** Name of the i-th parameter for error messages (real names when compiled with -parameters). */
    public String parameterLabel(int i) {
        Parameter p = method.getParameters()[i];
        return (p.isNamePresent() ? p.getName() : "#" + (i + 1)) + ": " + parameterTypes.get(i).toCanonical();
    }
}
