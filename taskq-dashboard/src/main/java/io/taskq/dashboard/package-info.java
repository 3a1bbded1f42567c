/**
 * The taskq web dashboard: {@link io.taskq.dashboard.TaskqDashboard} serves it on the JDK's HTTP server, and
 * {@link io.taskq.dashboard.TaskqDashboardServlet} mounts it in a Servlet container. Everything else is internal.
 * See docs/dashboard.md.
 */
package io.taskq.dashboard;
