package io.taskq.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.examples.spring.SpringTasks;
import io.taskq.examples.spring.TaskqSpringConfig;
import io.taskq.scheduler.Scheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** The Spring wiring starts taskq's beans, runs a task, and closes them in order. */
class SpringExampleTest {

    @Test
    void beansStartRunAndCloseInOrder() {
        Worker worker;
        Scheduler scheduler;
        try (AnnotationConfigApplicationContext context =
                     new AnnotationConfigApplicationContext(TaskqSpringConfig.class)) {
            Taskq taskq = context.getBean(Taskq.class);
            worker = context.getBean(Worker.class);
            scheduler = context.getBean(Scheduler.class);
            assertEquals("Hello from Spring, Ada", taskq.submit(SpringTasks::greet, "Ada").get(Duration.ofSeconds(10)));
            assertTrue(worker.isHealthy());
            assertTrue(scheduler.entry("spring-tick").isPresent(), "the @Periodic entry was declared");
        }
        assertTrue(!worker.isHealthy(), "closing the context drained and stopped the worker");
    }
}
