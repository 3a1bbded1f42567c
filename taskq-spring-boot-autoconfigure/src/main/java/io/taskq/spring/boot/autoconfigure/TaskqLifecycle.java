package io.taskq.spring.boot.autoconfigure;

import org.springframework.context.SmartLifecycle;

/** Where taskq's workers and scheduler sit in Spring's start and stop order. */
public final class TaskqLifecycle {
    /**
     * The phase of the workers and the scheduler: that of Spring Boot's web server graceful shutdown
     * ({@code DEFAULT_PHASE - 1024}). They start after the context's beans are ready and after the web server, and
     * on shutdown they drain at the same time as the web server finishes its requests, within
     * {@code spring.lifecycle.timeout-per-shutdown-phase}.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private TaskqLifecycle() {
    }
}
