package io.taskq.dashboard;

import io.taskq.Taskq;
import io.taskq.dashboard.internal.DashboardApp;
import io.taskq.dashboard.internal.DashboardConfig;
import io.taskq.dashboard.internal.JdkServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The taskq web dashboard (Flower plus the django-celery-beat admin): workers, queues, tasks, dead letters, periodic
 * tasks and live events, read and steered through taskq's public API only.
 *
 * <pre>{@code
 * TaskqDashboard dashboard = TaskqDashboard.builder().taskq(taskq).scheduler(scheduler)
 *         .user("ops", System.getenv("TASKQ_DASHBOARD_PASSWORD"), DashboardRole.ADMIN)
 *         .build().start();                      // http://127.0.0.1:5555/
 * }</pre>
 *
 * <p>{@link #start()} serves it on the JDK's built-in HTTP server on its own port, bound to 127.0.0.1 unless
 * {@link Builder#bindAddress} says otherwise; {@link TaskqDashboardServlet} mounts the same dashboard under a path of
 * a Servlet container instead. Without users it serves loopback clients only, each as an admin; with users every
 * request needs a login, and a non-loopback bind without users is refused. Closing it stops the server and the
 * event subscription; the taskq and the scheduler stay open (they are the application's).
 */
public final class TaskqDashboard implements AutoCloseable {
    private final DashboardApp app;
    private final InetAddress bind;
    private final int port;
    private JdkServer server;

    private TaskqDashboard(Builder b, InetAddress bind) {
        this.bind = bind;
        this.port = b.port;
        this.app = new DashboardApp(new DashboardConfig(b.taskq, b.scheduler, Map.copyOf(b.users),
                b.showArgumentsToReadOnly, b.sessionTimeout, b.clock));
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Serves the dashboard on the JDK's HTTP server at the bind address and port.
     *
     * @return this
     * @throws IllegalStateException if it is started already or closed, or if the address is not a loopback one
     *                               and no user is configured
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public synchronized TaskqDashboard start() {
        if (server != null) {
            throw new IllegalStateException("the dashboard is started already");
        }
        if (!bind.isLoopbackAddress() && !app.config().authenticated()) {
            throw new IllegalStateException("the dashboard would listen on " + bind.getHostAddress()
                    + ", which is not a loopback address, without authentication: configure users"
                    + " (TaskqDashboard.Builder.user) or bind to 127.0.0.1");
        }
        server = JdkServer.start(app, new InetSocketAddress(bind, port));
        return this;
    }

    /** The address the server listens on (its port chosen if 0 was asked for). */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("the dashboard is not started");
        }
        return server.address();
    }

    /** The dashboard's URL, e.g. {@code http://127.0.0.1:5555/}. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** For {@link TaskqDashboardServlet}: the transport-independent dashboard. */
    DashboardApp app() {
        return app;
    }

    /** Stops the server (if started) and the live event feed. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        app.close();
    }

    /** The dashboard's configuration. */
    public static final class Builder {
        private Taskq taskq;
        private Object scheduler;
        private String bindAddress = "127.0.0.1";
        private int port = 5555;
        private final Map<String, DashboardConfig.User> users = new LinkedHashMap<>();
        private boolean showArgumentsToReadOnly;
        private Duration sessionTimeout = Duration.ofHours(8);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The taskq whose broker the dashboard shows and steers (required). */
        public Builder taskq(Taskq taskq) {
            this.taskq = Objects.requireNonNull(taskq, "taskq");
            return this;
        }

        /**
         * The scheduler whose periodic tasks the dashboard lists and edits (a {@code io.taskq.scheduler.Scheduler}
         * of taskq-scheduler); without one the periodic-task page says there is none. Typed {@code Object} so that
         * taskq-scheduler stays an optional dependency.
         *
         * @throws IllegalArgumentException if it is not a {@code io.taskq.scheduler.Scheduler}
         */
        public Builder scheduler(Object scheduler) {
            if (scheduler != null && !isScheduler(scheduler.getClass())) {
                throw new IllegalArgumentException("not an io.taskq.scheduler.Scheduler: " + scheduler.getClass());
            }
            this.scheduler = scheduler;
            return this;
        }

        private static boolean isScheduler(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals("io.taskq.scheduler.Scheduler")) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The address to listen on (default {@code 127.0.0.1}). Any other than a loopback address needs users.
         *
         * @throws IllegalArgumentException if it is not an IP address or a resolvable host name
         */
        public Builder bindAddress(String address) {
            Objects.requireNonNull(address, "address");
            this.bindAddress = address;
            return this;
        }

        /** The port (default 5555, Flower's); 0 picks a free one ({@link #address()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * A user who may log in. With at least one user every request needs a login, on loopback too.
         *
         * @param name     the login name
         * @param password the password as given, or its SHA-256 as {@code {sha256}<64 hex digits>}; take it from
         *                 the application's configuration or environment (it is never logged)
         * @param role     what the user may do
         * @throws IllegalArgumentException if the name or password is empty, or a {@code {sha256}} value is not 64
         *                                  hex digits
         */
        public Builder user(String name, String password, DashboardRole role) {
            DashboardConfig.User u = DashboardConfig.User.of(name, password, role);
            users.put(u.name(), u);
            return this;
        }

        /** Whether read-only users see task arguments and dead-letter bodies (default false: only admins do). */
        public Builder showArgumentsToReadOnly(boolean show) {
            this.showArgumentsToReadOnly = show;
            return this;
        }

        /** How long a login lasts without a request (default 8 hours). */
        public Builder sessionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the session timeout must be positive, was " + timeout);
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /** The clock for sessions, ages and previews (default the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The dashboard, not serving yet: {@link TaskqDashboard#start()} serves it on its port, or
         * {@link TaskqDashboardServlet} mounts it. It subscribes to the event stream at once (the overview's chart
         * and the live updates).
         *
         * @throws IllegalStateException if no taskq is set
         */
        public TaskqDashboard build() {
            if (taskq == null) {
                throw new IllegalStateException("the dashboard needs a taskq: TaskqDashboard.builder().taskq(...)");
            }
            InetAddress bind;
            try {
                bind = InetAddress.getByName(bindAddress);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve the bind address " + bindAddress, e);
            }
            return new TaskqDashboard(this, bind);
        }
    }
}
