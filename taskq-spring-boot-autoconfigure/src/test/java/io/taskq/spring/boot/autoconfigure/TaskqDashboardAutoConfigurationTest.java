package io.taskq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskq.dashboard.TaskqDashboard;
import io.taskq.dashboard.TaskqDashboardServlet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The dashboard mounted in a servlet web application when taskq-dashboard is on the classpath, and when not. */
class TaskqDashboardAutoConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskqAutoConfiguration.class,
                    TaskqSchedulerAutoConfiguration.class, TaskqDashboardAutoConfiguration.class))
            .withBean(TestTasks.class)
            .withPropertyValues("taskq.roles=scheduler");

    /** A GET of the dashboard's API through the registered servlet, from {@code remote}. */
    private static MockHttpServletResponse get(ServletRegistrationBean<?> reg, String servletPath, String pathInfo,
                                               String remote) throws Exception {
        MockHttpServletRequest req = new MockHttpServletRequest("GET", servletPath + pathInfo);
        req.setServletPath(servletPath);
        req.setPathInfo(pathInfo);
        req.setRemoteAddr(remote);
        req.addHeader("Host", "localhost:8080");
        MockHttpServletResponse resp = new MockHttpServletResponse();
        ((TaskqDashboardServlet) reg.getServlet()).service(req, resp);
        return resp;
    }

    @Test
    void mountedAtTaskqByDefaultForLoopbackClientsOnlyWithoutUsers() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(TaskqDashboard.class);
            ServletRegistrationBean<?> reg = context.getBean("taskqDashboardServlet", ServletRegistrationBean.class);
            assertThat(reg.getUrlMappings()).containsExactly("/taskq/*");
            MockHttpServletResponse local = get(reg, "/taskq", "/api/session", "127.0.0.1");
            assertThat(local.getStatus()).isEqualTo(200);
            assertThat(local.getContentAsString()).contains("\"role\":\"ADMIN\"").contains("\"scheduler\":true");
            assertThat(local.getHeader("Set-Cookie")).contains("Path=/taskq/");
            assertThat(get(reg, "/taskq", "/api/session", "10.0.0.8").getStatus()).isEqualTo(403);
            MockHttpServletResponse page = get(reg, "/taskq", "/", "127.0.0.1");
            assertThat(page.getContentAsString()).contains("static/app.js");
        });
    }

    @Test
    void aConfiguredPathAndUsers() {
        runner.withPropertyValues("taskq.dashboard.path=/ops/queues/",
                "taskq.dashboard.users[0].name=ops", "taskq.dashboard.users[0].password=s3cret",
                "taskq.dashboard.users[0].role=ADMIN").run(context -> {
                    ServletRegistrationBean<?> reg = context.getBean("taskqDashboardServlet",
                            ServletRegistrationBean.class);
                    assertThat(reg.getUrlMappings()).containsExactly("/ops/queues/*");
                    // Users: every API call needs a login, from anywhere.
                    assertThat(get(reg, "/ops/queues", "/api/queues", "10.0.0.8").getStatus()).isEqualTo(401);
                    assertThat(get(reg, "/ops/queues", "/api/queues", "127.0.0.1").getStatus()).isEqualTo(401);
                    MockHttpServletResponse bare = get(reg, "/ops/queues", null, "10.0.0.8");
                    assertThat(bare.getStatus()).isEqualTo(302);
                    assertThat(bare.getHeader("Location")).isEqualTo("/ops/queues/");
                });
    }

    @Test
    void backsOffWhenDisabledOutsideAServletAppOrWithoutTheModule() {
        runner.withPropertyValues("taskq.dashboard.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TaskqDashboard.class));
        runner.withClassLoader(new FilteredClassLoader(TaskqDashboard.class))
                .run(context -> assertThat(context).doesNotHaveBean("taskqDashboardServlet"));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskqAutoConfiguration.class,
                        TaskqDashboardAutoConfiguration.class)).withBean(TestTasks.class)
                .run(context -> assertThat(context).doesNotHaveBean(TaskqDashboard.class));
    }
}
