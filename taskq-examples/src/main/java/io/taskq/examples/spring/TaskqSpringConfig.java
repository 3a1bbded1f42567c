package io.taskq.examples.spring;

import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.examples.ExampleEnvironment;
import io.taskq.scheduler.Scheduler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * taskq as Spring beans: the client ({@link Taskq}), a worker and the scheduler, each closed by Spring in reverse
 * order of creation, so the worker drains and the scheduler steps down before the broker closes. Spring is a
 * dependency of this example only; taskq's library modules do not know it.
 */
@Configuration
public class TaskqSpringConfig {

    /** The application's service. */
    @Bean
    public SpringTasks.GreetingService greetingService() {
        return new SpringTasks.GreetingService();
    }

    /** The task bean. */
    @Bean
    public SpringTasks springTasks(SpringTasks.GreetingService greetings) {
        return new SpringTasks(greetings);
    }

    /** The client: submit and follow tasks anywhere by injecting it. */
    @Bean(destroyMethod = "close")
    public Taskq taskq(SpringTasks tasks) {
        return ExampleEnvironment.taskqBuilder().tasks(tasks).build();
    }

    /** A worker; closing it drains running tasks. */
    @Bean(destroyMethod = "close")
    public Worker worker(Taskq taskq) {
        return taskq.startWorker(WorkerOptions.builder().concurrency(4).build());
    }

    /** The scheduler, with the entries declared on the task bean. */
    @Bean(destroyMethod = "close")
    public Scheduler scheduler(Taskq taskq, SpringTasks tasks) {
        return ExampleEnvironment.schedulerBuilder(taskq).declare(tasks).build().start();
    }
}
