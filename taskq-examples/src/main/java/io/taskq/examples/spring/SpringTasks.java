package io.taskq.examples.spring;

import io.taskq.Task;
import io.taskq.scheduler.Periodic;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

/** Tasks as an ordinary Spring bean: dependencies come in through the constructor as usual. */
@Component
public class SpringTasks {
    private final GreetingService greetings;

    /** Creates the tasks with their dependency. */
    public SpringTasks(GreetingService greetings) {
        this.greetings = greetings;
    }

    /** Greets someone through the injected service. */
    @Task(name = "spring.greet")
    public String greet(String name) {
        return greetings.greet(name);
    }

    /** A report that takes a while: a graceful shutdown lets it finish. */
    @Task(name = "spring.report")
    public String report(String name, long millis) throws InterruptedException {
        Thread.sleep(millis);
        return "report " + name + " ready";
    }

    /** A periodic task declared next to the task. */
    @Task(name = "spring.tick")
    @Periodic(name = "spring-tick", every = "1m")
    public void tick() {
        greetings.greet("tick");
    }

    /** A plain service the task uses. */
    @Service
    public static class GreetingService {
        /** Builds a greeting. */
        public String greet(String name) {
            return "Hello from Spring, " + name;
        }
    }
}
