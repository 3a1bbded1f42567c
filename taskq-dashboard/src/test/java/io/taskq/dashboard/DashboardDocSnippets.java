package io.taskq.dashboard;

import io.taskq.Taskq;
import io.taskq.scheduler.Scheduler;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/** The Java snippets of docs/dashboard.md, compiled (DocSnippetsTest checks each line of the docs against sources). */
final class DashboardDocSnippets {
    private DashboardDocSnippets() {
    }

    static TaskqDashboard onItsOwnPort(Taskq taskq, Scheduler scheduler) {
        TaskqDashboard dashboard = TaskqDashboard.builder()
                .taskq(taskq)
                .scheduler(scheduler)                      // optional: the periodic tasks page
                .user("ops", System.getenv("TASKQ_DASHBOARD_OPS_PASSWORD"), DashboardRole.ADMIN)
                .user("support", System.getenv("TASKQ_DASHBOARD_SUPPORT_PASSWORD"), DashboardRole.READ_ONLY)
                .build()
                .start();                                  // http://127.0.0.1:5555/
        return dashboard;
    }

    static TaskqDashboard onAllInterfaces(Taskq taskq) {
        TaskqDashboard dashboard = TaskqDashboard.builder().taskq(taskq)
                .bindAddress("0.0.0.0").port(8555)
                .user("ops", "{sha256}" + System.getenv("TASKQ_DASHBOARD_OPS_SHA256"), DashboardRole.ADMIN)
                .build().start();
        return dashboard;
    }

    static void inAServletContainer(ServletContext servletContext, TaskqDashboard dashboard) {
        ServletRegistration.Dynamic reg = servletContext.addServlet("taskq", new TaskqDashboardServlet(dashboard));
        reg.addMapping("/taskq/*");                        // the dashboard is at /taskq/
    }
}
