package io.taskq.examples.app;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The application's taskq settings, read from the environment (a systemd {@code EnvironmentFile}, a container's
 * env, or a shell). Credentials stay in the environment: the Redis URL is never logged.
 *
 * @param redisUrl      {@code TASKQ_REDIS_URL}; absent means the in-memory broker
 * @param keyPrefix     {@code TASKQ_KEY_PREFIX}, the environment's namespace on Redis (default {@code taskq})
 * @param concurrency   {@code TASKQ_CONCURRENCY} (default 8)
 * @param queues        {@code TASKQ_QUEUES}, comma-separated (default {@code default})
 * @param roles         {@code TASKQ_ROLES}: {@code worker}, {@code scheduler} or both, comma-separated (default both)
 * @param shutdownGrace {@code TASKQ_SHUTDOWN_GRACE_SECONDS} (default 25)
 * @param lease         {@code TASKQ_LEASE_SECONDS} (default 30)
 */
public record AppConfig(Optional<String> redisUrl, String keyPrefix, int concurrency, List<String> queues,
                        Set<String> roles, Duration shutdownGrace, Duration lease) {

    /** Reads the settings; invalid values fail with a message naming the variable. */
    public static AppConfig fromEnv(Map<String, String> env) {
        Optional<String> url = Optional.ofNullable(env.get("TASKQ_REDIS_URL")).filter(s -> !s.isBlank());
        String prefix = env.getOrDefault("TASKQ_KEY_PREFIX", "taskq").trim();
        if (prefix.isEmpty() || !prefix.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("TASKQ_KEY_PREFIX must be letters, digits, '_', '.', '-': " + prefix);
        }
        int concurrency = positive(env, "TASKQ_CONCURRENCY", 8);
        List<String> queues = split(env.getOrDefault("TASKQ_QUEUES", "default"));
        Set<String> roles = Set.copyOf(split(env.getOrDefault("TASKQ_ROLES", "worker,scheduler")));
        for (String r : roles) {
            if (!r.equals("worker") && !r.equals("scheduler")) {
                throw new IllegalArgumentException("TASKQ_ROLES: unknown role '" + r + "' (worker, scheduler)");
            }
        }
        return new AppConfig(url, prefix, concurrency, queues, roles,
                Duration.ofSeconds(positive(env, "TASKQ_SHUTDOWN_GRACE_SECONDS", 25)),
                Duration.ofSeconds(positive(env, "TASKQ_LEASE_SECONDS", 30)));
    }

    private static List<String> split(String s) {
        List<String> parts = Arrays.stream(s.split(",")).map(String::trim).filter(p -> !p.isEmpty())
                .collect(Collectors.toList());
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty list: '" + s + "'");
        }
        return List.copyOf(parts);
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number, was '" + v + "'");
        }
    }

    /** Whether this process runs workers. */
    public boolean runsWorker() {
        return roles.contains("worker");
    }

    /** Whether this process runs the scheduler. */
    public boolean runsScheduler() {
        return roles.contains("scheduler");
    }
}
