package io.taskq.internal;

import io.taskq.RateLimit;
import io.taskq.Task;
import io.taskq.Uniqueness;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits a {@link Task} method is declared with ({@code rateLimit}, {@code concurrencyLimit}, {@code limitKey}),
 * read and checked once per method.
 *
 * @param rate        the rate limit, or null
 * @param maxRunning  the concurrency limit, or 0
 * @param keyHeader   the custom header the key comes from, or null
 * @param keyArg      the argument the key comes from, or -1
 * @param unique      how long the task holds its uniqueness key, or null if it is not unique
 * @param uniqueArgs  the arguments that make the uniqueness key (empty: all)
 */
public record TaskLimits(RateLimit rate, int maxRunning, String keyHeader, int keyArg, Uniqueness unique,
                         List<Integer> uniqueArgs) {
    /** No limits. */
    public static final TaskLimits NONE = new TaskLimits(null, 0, null, -1, null, List.of());

    private static final Map<Method, TaskLimits> CACHE = new ConcurrentHashMap<>();

    /**
     * The limits of a task method.
     *
     * @throws IllegalArgumentException if an attribute is not valid
     */
    public static TaskLimits of(Method method) {
        return CACHE.computeIfAbsent(method, TaskLimits::read);
    }

    private static TaskLimits read(Method method) {
        Task t = method.getAnnotation(Task.class);
        String where = "@Task " + method.getDeclaringClass().getName() + "." + method.getName();
        if (t == null) {
            return NONE;
        }
        RateLimit rate;
        try {
            rate = t.rateLimit().isBlank() ? null : RateLimit.parse(t.rateLimit());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " rateLimit: " + e.getMessage(), e);
        }
        if (t.concurrencyLimit() < 0) {
            throw new IllegalArgumentException(where + " concurrencyLimit must not be negative");
        }
        String key = t.limitKey().trim();
        String header = null;
        int arg = -1;
        if (key.startsWith("header:") && key.length() > 7) {
            header = key.substring(7);
        } else if (key.startsWith("arg:")) {
            try {
                arg = Integer.parseInt(key.substring(4));
            } catch (NumberFormatException e) {
                arg = -2;
            }
            if (arg < 0 || arg >= method.getParameterCount()) {
                throw new IllegalArgumentException(where + " limitKey '" + key + "': the method has "
                        + method.getParameterCount() + " argument(s)");
            }
        } else if (!key.isEmpty()) {
            throw new IllegalArgumentException(where + " limitKey '" + key
                    + "' is neither header:<name> nor arg:<index>");
        }
        if (!key.isEmpty() && rate == null && t.concurrencyLimit() == 0) {
            throw new IllegalArgumentException(where + " limitKey needs a rateLimit or a concurrencyLimit");
        }
        Uniqueness unique = unique(t, method, where);
        if (rate == null && t.concurrencyLimit() == 0 && unique == null) {
            return NONE;
        }
        List<Integer> uniqueArgs = Arrays.stream(t.uniqueArgs()).boxed().toList();
        return new TaskLimits(rate, t.concurrencyLimit(), header, arg, unique, uniqueArgs);
    }

    private static Uniqueness unique(Task t, Method method, String where) {
        for (int i : t.uniqueArgs()) {
            if (i < 0 || i >= method.getParameterCount()) {
                throw new IllegalArgumentException(where + " uniqueArgs: " + i + " is not an argument of the method ("
                        + method.getParameterCount() + " argument(s))");
            }
        }
        if (t.uniqueUntil().isBlank()) {
            if (t.uniqueArgs().length > 0) {
                throw new IllegalArgumentException(where + " uniqueArgs needs uniqueUntil");
            }
            return null;
        }
        try {
            return Uniqueness.parse(t.uniqueUntil());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " uniqueUntil '" + t.uniqueUntil()
                    + "' is neither queued, started, finished nor a duration", e);
        }
    }
}
