package io.taskq.examples.spring;

import io.taskq.Task;
import io.taskq.scheduler.Periodic;

/** Tasks as an ordinary Spring bean: dependencies come in through the constructor as usual. */
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

    /** A periodic task declared next to the task. */
    @Task(name = "spring.tick")
    @Periodic(name = "spring-tick", every = "1m")
    public void tick() {
        greetings.greet("tick");
    }

    /** A plain service the task uses. */
    public static class GreetingService {
        /** Builds a greeting. */
        public String greet(String name) {
            return "Hello from Spring, " + name;
        }
    }
}
