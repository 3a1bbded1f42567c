package io.taskq.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.RateLimit;
import io.taskq.SubmitInterceptor;
import io.taskq.TaskInterceptor;
import io.taskq.TaskListener;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.spi.MemoryBroker;
import io.taskq.spi.Broker;
import io.taskq.spi.ResultBackend;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@link Taskq} client with the application's {@code @Task} beans, the broker (in memory unless
 * {@link TaskqRedisAutoConfiguration} made a Redis one), the event stream's publishing from {@code taskq.events.*},
 * the queues' rate limits from {@code taskq.limits.*}, the worker options from {@code taskq.worker.*} and the workers'
 * lifecycle. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = TaskqRedisAutoConfiguration.class)
@EnableConfigurationProperties(TaskqProperties.class)
public class TaskqAutoConfiguration {

    /**
     * The in-memory broker, when no other broker is configured: for development and tests (nothing is shared
     * between instances or survives a restart).
     */
    @Bean
    @ConditionalOnMissingBean(Broker.class)
    MemoryBroker taskqBroker() {
        return MemoryBroker.create(Clock.systemUTC());
    }

    /** The application's beans with {@code @Task} methods. */
    @Bean
    @ConditionalOnMissingBean
    TaskBeans taskqTaskBeans(ConfigurableListableBeanFactory beanFactory) {
        return TaskBeans.scan(beanFactory);
    }

    /**
     * The client: submit and follow tasks by injecting it. It uses the broker bean through the decorators (the
     * transaction-aware submit); closing it closes the workers it started, not the broker bean. The application's
     * {@link TaskInterceptor}, {@link SubmitInterceptor} and {@link TaskListener} beans are registered in their
     * {@code @Order}. Task arguments and
     * results go through the application's {@code ObjectMapper} bean only if
     * {@code taskq.json.use-application-object-mapper} is true. Its workers carry {@code spring.application.name} as
     * the application's name in the worker registry ({@code Taskq.workers()}).
     */
    @Bean
    @ConditionalOnMissingBean
    Taskq taskq(Broker broker, ObjectProvider<ResultBackend> resultBackend, TaskBeans tasks,
                ObjectProvider<TaskqBrokerDecorator> decorators, TaskqProperties properties,
                ObjectProvider<ObjectMapper> objectMapper, ObjectProvider<TaskInterceptor> interceptors,
                ObjectProvider<SubmitInterceptor> submitInterceptors, ObjectProvider<TaskListener> listeners,
                Environment environment) {
        ResultBackend results = resultBackend.getIfAvailable(() -> broker.resultBackend().orElseThrow(() ->
                new IllegalStateException("the broker bean " + broker.getClass().getName()
                        + " keeps no results: define a ResultBackend bean too")));
        Broker used = broker;
        for (TaskqBrokerDecorator d : decorators.orderedStream().toList()) {
            used = d.decorate(used);
        }
        Taskq.Builder b = Taskq.builder().broker(used).resultBackend(results).closeBrokerOnClose(false)
                .tasks(tasks.instances().toArray())
                .events(properties.getEvents().isEnabled()).eventBuffer(properties.getEvents().getBuffer());
        interceptors.orderedStream().forEach(b::interceptor);
        submitInterceptors.orderedStream().forEach(b::submitInterceptor);
        listeners.orderedStream().forEach(b::listener);
        properties.getLimits().getQueueRates().forEach((queue, rate) -> b.queueRateLimit(queue, rate(queue, rate)));
        String application = environment.getProperty("spring.application.name");
        if (application != null && !application.isBlank()) {
            b.applicationName(application);
        }
        if (properties.getJson().isUseApplicationObjectMapper()) {
            ObjectMapper mapper = objectMapper.getIfAvailable();
            if (mapper == null) {
                throw new IllegalStateException("taskq.json.use-application-object-mapper is true, but the context"
                        + " has no ObjectMapper bean (Spring Boot makes one with spring-boot-starter-json)");
            }
            b.objectMapper(mapper);
        }
        return b.build();
    }

    /** A queue's rate from {@code taskq.limits.queue-rates}; a bad one fails the start, naming the property. */
    private static RateLimit rate(String queue, String text) {
        try {
            return RateLimit.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("taskq.limits.queue-rates." + queue + ": " + e.getMessage(), e);
        }
    }

    /** The options of the worker this instance starts, from {@code taskq.worker.*}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnTaskqRole(TaskqRole.WORKER)
    WorkerOptions taskqWorkerOptions(TaskqProperties properties) {
        TaskqProperties.Worker w = properties.getWorker();
        WorkerOptions.Builder b = WorkerOptions.builder()
                .concurrency(w.getConcurrency())
                .queues(w.getQueues().toArray(String[]::new))
                .lease(w.getLease())
                .shutdownGrace(w.getShutdownGrace())
                .heartbeatInterval(w.getHeartbeatInterval());
        if (w.getPrefetch() != null) {
            b.prefetch(w.getPrefetch());
        }
        if (w.getNodeName() != null && !w.getNodeName().isBlank()) {
            b.nodeName(w.getNodeName());
        }
        return b.build();
    }

    /** Starts a worker per {@link WorkerOptions} bean once the context is ready; drains them on shutdown. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnTaskqRole(TaskqRole.WORKER)
    TaskqWorkers taskqWorkers(Taskq taskq, List<WorkerOptions> options) {
        return new TaskqWorkers(taskq, options);
    }

    /** Transaction-aware submit, when Spring's transaction support is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TransactionSynchronizationManager.class)
    @ConditionalOnProperty(prefix = "taskq.submit", name = "after-commit", matchIfMissing = true)
    static class TransactionAwareSubmitConfiguration {

        /** Holds submissions made inside a transaction until it commits; drops them on rollback. */
        @Bean
        @ConditionalOnMissingBean(name = "taskqTransactionAwareSubmit")
        TaskqBrokerDecorator taskqTransactionAwareSubmit() {
            return TransactionAwareBroker::new;
        }
    }
}
