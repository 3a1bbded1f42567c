package io.taskq.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskq.TaskListener;
import io.taskq.Taskq;
import io.taskq.micrometer.RedisConnectionMetrics;
import io.taskq.micrometer.SchedulerMetrics;
import io.taskq.micrometer.TaskqMetrics;
import io.taskq.redis.RedisBackend;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * taskq's Micrometer meters ({@code taskq-micrometer}, see docs/metrics.md) bound to the application's
 * {@link MeterRegistry} when both are there: the task listener (submits, outcomes, runtimes, waits) added to the
 * auto-configured {@link Taskq}, broker errors counted by a broker decorator, the queue and worker gauges bound once
 * the workers started, the scheduler's meters as a scheduler listener, and Redis reconnects when the Redis backend
 * is a bean. Off with {@code taskq.metrics.enabled=false}.
 */
@AutoConfiguration(before = TaskqAutoConfiguration.class, afterName = {
        "io.taskq.spring.boot.autoconfigure.TaskqRedisAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({TaskqMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "taskq.metrics", name = "enabled", matchIfMissing = true)
public class TaskqMetricsAutoConfiguration {

    /** The meters; closed with the context (their gauges go, their counters stay in the registry). */
    @Bean
    @ConditionalOnMissingBean
    TaskqMetrics taskqMetrics(MeterRegistry registry, TaskqProperties properties) {
        return TaskqMetrics.builder(registry).queuePollInterval(properties.getMetrics().getQueuePollInterval())
                .build();
    }

    /** The task listener, which the auto-configured {@code Taskq} registers like any {@link TaskListener} bean. */
    @Bean
    TaskListener taskqMetricsListener(TaskqMetrics metrics) {
        return metrics.listener();
    }

    /** Counts the failures of the broker's calls ({@code taskq.broker.errors}). */
    @Bean
    @ConditionalOnMissingBean(name = "taskqMeteredBroker")
    TaskqBrokerDecorator taskqMeteredBroker(TaskqMetrics metrics) {
        return metrics::wrap;
    }

    /** Binds the queue gauges and the gauges of this instance's workers once they started. */
    @Bean
    TaskqMetricsBinder taskqMetricsBinder(TaskqMetrics metrics, ObjectProvider<Taskq> taskq,
                                          ObjectProvider<TaskqWorkers> workers) {
        return new TaskqMetricsBinder(metrics, taskq, workers);
    }

    /** Redis reconnects, when the Redis backend is a bean: counted from its client resources' event bus. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.taskq.redis.RedisBackend", "io.lettuce.core.resource.ClientResources"})
    @ConditionalOnBean(type = "io.taskq.redis.RedisBackend")
    static class RedisConnectionMetricsConfiguration {

        /** {@code taskq.redis.disconnects}, {@code taskq.redis.reconnect.attempts} and {@code .failures}. */
        @Bean
        @ConditionalOnMissingBean
        RedisConnectionMetrics taskqRedisConnectionMetrics(MeterRegistry registry, RedisBackend backend) {
            return new RedisConnectionMetrics(registry, backend.clientResources());
        }
    }

    /** The scheduler's meters, when taskq-scheduler is on the classpath: a scheduler listener. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.taskq.scheduler.SchedulerListener")
    static class SchedulerMetricsConfiguration {

        /** Leadership, publish lag, missed and skipped runs. */
        @Bean
        @ConditionalOnMissingBean
        SchedulerMetrics taskqSchedulerMetrics(MeterRegistry registry) {
            return new SchedulerMetrics(registry);
        }
    }
}
