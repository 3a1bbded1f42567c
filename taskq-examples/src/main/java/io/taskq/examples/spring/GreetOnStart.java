package io.taskq.examples.spring;

import io.taskq.TaskHandle;
import io.taskq.Taskq;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.stereotype.Component;

/** Submits a task once the application has started, through the injected {@link Taskq}, and logs its result. */
@Component
public class GreetOnStart implements CommandLineRunner {
    private static final Logger log = LoggerFactory.getLogger(GreetOnStart.class);
    private final Taskq taskq;

    /** Takes the client the starter configured. */
    public GreetOnStart(Taskq taskq) {
        this.taskq = taskq;
    }

    @Override
    public void run(String... args) {
        TaskHandle<String> h = taskq.submit(SpringTasks::greet, "Ada");
        log.info("task {}: {}", h.id(), h.get(Duration.ofSeconds(10)));
    }
}
