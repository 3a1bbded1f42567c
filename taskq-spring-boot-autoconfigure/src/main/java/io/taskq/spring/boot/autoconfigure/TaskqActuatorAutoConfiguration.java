package io.taskq.spring.boot.autoconfigure;

import io.taskq.Taskq;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code taskq} health indicator ({@code management.health.taskq.enabled}) and the {@code taskq} endpoint
 * (exposed like any endpoint: {@code management.endpoints.web.exposure.include=health,taskq}), when Spring Boot's
 * actuator is on the classpath.
 */
@AutoConfiguration(after = {TaskqAutoConfiguration.class, TaskqSchedulerAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Taskq.class)
public class TaskqActuatorAutoConfiguration {

    /** The health indicator, named "taskq". */
    @Bean
    @ConditionalOnMissingBean(name = "taskqHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("taskq")
    TaskqHealthIndicator taskqHealthIndicator(Taskq taskq, ObjectProvider<TaskqWorkers> workers,
                                              ObjectProvider<TaskqSchedulerStatus> scheduler,
                                              TaskqProperties properties) {
        return new TaskqHealthIndicator(taskq, workers, scheduler, properties);
    }

    /** The endpoint. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    TaskqEndpoint taskqEndpoint(Taskq taskq, ObjectProvider<TaskqWorkers> workers,
                                ObjectProvider<TaskqSchedulerStatus> scheduler, TaskqProperties properties) {
        return new TaskqEndpoint(taskq, workers, scheduler, properties);
    }
}
