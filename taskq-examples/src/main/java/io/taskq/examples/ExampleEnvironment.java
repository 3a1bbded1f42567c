package io.taskq.examples;

import io.taskq.Taskq;

/**
 * Where the examples get their broker: the in-memory default, unless the environment names a Redis
 * ({@code TASKQ_REDIS_URL}, with {@code TASKQ_KEY_PREFIX}).
 */
public final class ExampleEnvironment {
    private ExampleEnvironment() {
    }

    /** A builder with the broker the environment asks for. */
    public static Taskq.Builder taskqBuilder() {
        return Taskq.builder();
    }
}
