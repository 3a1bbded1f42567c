package io.taskq.examples.spring;

import io.taskq.TaskHandle;
import io.taskq.Taskq;
import java.time.Duration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** Starts a Spring context with taskq's beans, submits a task, and closes the context (which drains taskq). */
public final class SpringExample {
    private SpringExample() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        try (AnnotationConfigApplicationContext context =
                     new AnnotationConfigApplicationContext(TaskqSpringConfig.class)) {
            Taskq taskq = context.getBean(Taskq.class);
            TaskHandle<String> h = taskq.submit(SpringTasks::greet, "Ada");
            System.out.println(h.get(Duration.ofSeconds(10)));
        }
    }
}
