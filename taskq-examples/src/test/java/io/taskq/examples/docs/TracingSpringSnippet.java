package io.taskq.examples.docs;

import io.opentelemetry.api.OpenTelemetry;
import io.taskq.Taskq;
import io.taskq.opentelemetry.TaskqTracing;
import io.taskq.spi.Broker;
import io.taskq.spring.boot.autoconfigure.TaskBeans;
import org.springframework.context.annotation.Bean;

/**
 * docs/tracing.md: a {@code Taskq} bean traced with taskq-opentelemetry, compiled so that the snippet keeps up with
 * the API. Not a configuration class: no test's context picks it up.
 */
class TracingSpringSnippet {
    @Bean
    Taskq taskq(Broker broker, TaskBeans tasks, OpenTelemetry openTelemetry) {
        TaskqTracing tracing = TaskqTracing.create(openTelemetry);
        return Taskq.builder()
                .broker(broker).closeBrokerOnClose(false)
                .tasks(tasks.instances().toArray())
                .submitInterceptor(tracing.submitInterceptor())
                .interceptor(tracing.taskInterceptor())
                .build();
    }
}
