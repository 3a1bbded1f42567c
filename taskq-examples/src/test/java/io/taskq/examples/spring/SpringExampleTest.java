package io.taskq.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.contract.Await;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.TaskRecord;
import io.taskq.spring.boot.autoconfigure.TaskqWorkers;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot example on a real Redis: the starter registers the bean's tasks, runs them on its worker, declares
 * the {@code @Periodic} entry, and stopping the application lets a running task finish before the worker stops.
 */
@SpringBootTest
@DirtiesContext
class SpringExampleTest {
    @RegisterExtension
    static final PerClassRedis redis = new PerClassRedis();

    private static final String PREFIX = "spring" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("taskq.redis.url", redis::url);
        registry.add("taskq.redis.key-prefix", () -> PREFIX);
    }

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    Taskq taskq;

    @Test
    void submitsRunsAndShutsDownGracefully() {
        assertTrue(taskq.broker().getClass().getName().contains("TransactionAware")
                || taskq.broker() instanceof RedisBroker, "taskq runs on the configured Redis");
        assertTrue(context.getBean(RedisBroker.class).keyPrefix().equals(PREFIX));
        assertEquals("Hello from Spring, Ada", taskq.submit(SpringTasks::greet, "Ada").get(WAIT));
        Scheduler scheduler = context.getBean(Scheduler.class);
        assertTrue(scheduler.entry("spring-tick").isPresent(), "the @Periodic entry was declared");

        TaskHandle<String> report = taskq.submit(SpringTasks::report, "Q3", 1500L);
        Await.until(WAIT, "the report runs", () -> report.state() == TaskState.STARTED);
        TaskqWorkers workers = context.getBean(TaskqWorkers.class);
        // What a graceful shutdown (SIGTERM, context close) does first: stop the lifecycle beans, phase by phase.
        // The test framework closes the context itself afterwards.
        context.stop();
        assertTrue(workers.running().isEmpty(), "the worker was stopped");
        assertTrue(!scheduler.isLeader(), "the scheduler stepped down");
        try (RedisBroker check = RedisBroker.builder().uri(redis.url()).keyPrefix(PREFIX).build()) {
            assertEquals(Optional.of(TaskState.SUCCESS), check.get(report.queue(), report.id())
                    .map(TaskRecord::state), "closing the application let the running task finish");
        }
    }
}
