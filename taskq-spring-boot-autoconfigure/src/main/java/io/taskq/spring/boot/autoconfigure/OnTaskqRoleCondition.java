package io.taskq.spring.boot.autoconfigure;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Reads {@code taskq.roles} the way {@link TaskqProperties} binds it. */
class OnTaskqRoleCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnTaskqRole.class.getName());
        TaskqRole role = (TaskqRole) attributes.get("value");
        Set<TaskqRole> roles = Binder.get(context.getEnvironment())
                .bind("taskq.roles", Bindable.setOf(TaskqRole.class))
                .orElseGet(() -> EnumSet.allOf(TaskqRole.class));
        return roles.contains(role)
                ? ConditionOutcome.match("taskq.roles contains " + role)
                : ConditionOutcome.noMatch("taskq.roles " + roles + " does not contain " + role);
    }
}
