package io.taskq.examples.docs;

import io.opentelemetry.api.OpenTelemetry;
import io.taskq.SubmitInterceptor;
import io.taskq.TaskInterceptor;
import io.taskq.opentelemetry.TaskqTracing;
import org.springframework.context.annotation.Bean;

/**
 * docs/tracing.md: taskq-opentelemetry's interceptors as beans, which the auto-configured {@code Taskq} picks up;
 * compiled so that the snippet keeps up with the API. Not a configuration class: no test's context picks it up.
 */
class TracingSpringSnippet {
    @Bean
    TaskqTracing taskqTracing(OpenTelemetry openTelemetry) {
        return TaskqTracing.create(openTelemetry);
    }

    @Bean
    SubmitInterceptor taskqProducerSpans(TaskqTracing tracing) {
        return tracing.submitInterceptor();
    }

    @Bean
    TaskInterceptor taskqConsumerSpans(TaskqTracing tracing) {
        return tracing.taskInterceptor();
    }
}
