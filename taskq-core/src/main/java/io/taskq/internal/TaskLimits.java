package io.taskq.internal;

import io.taskq.RateLimit;
import io.taskq.Task;
import java.lang.reflect.Method;
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
 */
public record TaskLimits(RateLimit rate, int maxRunning, String keyHeader, int keyArg) {
    /** No limits. */
    public static final TaskLimits NONE = new TaskLimits(null, 0, null, -1);

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
        if (rate == null && t.concurrencyLimit() == 0) {
            return NONE;
        }
        return new TaskLimits(rate, t.concurrencyLimit(), header, arg);
    }
}
