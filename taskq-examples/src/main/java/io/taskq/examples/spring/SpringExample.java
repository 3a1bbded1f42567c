package io.taskq.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with taskq through {@code taskq-spring-boot-starter}: the {@code @Task} methods of
 * {@link SpringTasks} (an ordinary bean) are registered, a worker and the scheduler start with the context, and
 * {@link GreetOnStart} submits a task. Settings come from {@code application.properties} and the environment
 * ({@code TASKQ_REDIS_URL} for Redis; in memory without it). It runs until stopped: SIGTERM drains the worker,
 * hands back what outlives the grace, and steps the scheduler down (docs/spring-boot.md).
 */
@SpringBootApplication
public class SpringExample {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SpringExample.class, args);
    }
}
