package io.taskq.spring.boot.autoconfigure;

import io.taskq.Taskq;
import io.taskq.dashboard.TaskqDashboard;
import io.taskq.dashboard.TaskqDashboardServlet;
import java.util.Optional;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * The web dashboard mounted at {@code taskq.dashboard.path} (default {@code /taskq}) of a servlet web application,
 * when {@code taskq-dashboard} is on the classpath: a {@link TaskqDashboard} on the application's {@link Taskq} (and
 * its scheduler, if there is one) with the users of {@code taskq.dashboard.users}, served by a
 * {@link TaskqDashboardServlet} through the application's own server and port.
 */
@AutoConfiguration(after = {TaskqAutoConfiguration.class, TaskqSchedulerAutoConfiguration.class})
@ConditionalOnClass({TaskqDashboard.class, jakarta.servlet.Servlet.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Taskq.class)
@ConditionalOnProperty(prefix = "taskq.dashboard", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskqDashboardProperties.class)
public class TaskqDashboardAutoConfiguration {

    /** The dashboard (not started on a port of its own: the servlet serves it); closed with the context. */
    @Bean
    @ConditionalOnMissingBean
    TaskqDashboard taskqDashboard(Taskq taskq, ListableBeanFactory beans, TaskqDashboardProperties properties) {
        TaskqDashboard.Builder b = TaskqDashboard.builder().taskq(taskq)
                .showArgumentsToReadOnly(properties.isShowArgumentsToReadOnly())
                .sessionTimeout(properties.getSessionTimeout());
        schedulerOf(beans).ifPresent(b::scheduler);
        for (TaskqDashboardProperties.User u : properties.getUsers()) {
            b.user(u.getName(), u.getPassword(), u.getRole());
        }
        return b.build();
    }

    /**
     * The scheduler bean, if taskq-scheduler is on the classpath and there is one; looked up by class name so that
     * this class loads without taskq-scheduler.
     */
    private static Optional<Object> schedulerOf(ListableBeanFactory beans) {
        String name = "io.taskq.scheduler.Scheduler";
        if (!ClassUtils.isPresent(name, TaskqDashboardAutoConfiguration.class.getClassLoader())) {
            return Optional.empty();
        }
        Class<?> type = ClassUtils.resolveClassName(name, TaskqDashboardAutoConfiguration.class.getClassLoader());
        return Optional.ofNullable(beans.getBeanProvider(type).getIfAvailable());
    }

    /** The servlet at {@code <path>/*}. */
    @Bean
    @ConditionalOnMissingBean(name = "taskqDashboardServlet")
    ServletRegistrationBean<TaskqDashboardServlet> taskqDashboardServlet(TaskqDashboard dashboard,
                                                                         TaskqDashboardProperties properties) {
        String path = properties.getPath();
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("taskq.dashboard.path must start with /, was " + path);
        }
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        ServletRegistrationBean<TaskqDashboardServlet> r = new ServletRegistrationBean<>(
                new TaskqDashboardServlet(dashboard), base + "/*");
        r.setName("taskqDashboard");
        return r;
    }
}
