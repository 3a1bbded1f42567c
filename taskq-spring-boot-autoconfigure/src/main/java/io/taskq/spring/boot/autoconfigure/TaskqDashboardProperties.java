package io.taskq.spring.boot.autoconfigure;

import io.taskq.dashboard.DashboardRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The web dashboard ({@code taskq-dashboard} on the classpath of a servlet web application): where it is mounted,
 * who may log in. See docs/dashboard.md.
 */
@ConfigurationProperties("taskq.dashboard")
public class TaskqDashboardProperties {
    /** Whether to mount the dashboard when taskq-dashboard is on the classpath. */
    private boolean enabled = true;

    /** The path the dashboard is served under, e.g. /taskq (then it is at /taskq/). */
    private String path = "/taskq";

    /**
     * Who may log in: name, password (plain, from the environment or a secrets file, or {sha256}hex) and role
     * (ADMIN or READ_ONLY). Without users the dashboard answers loopback clients only.
     */
    private List<User> users = new ArrayList<>();

    /** Whether read-only users see task arguments and dead-letter messages. */
    private boolean showArgumentsToReadOnly;

    /** How long a login lasts without a request. */
    private Duration sessionTimeout = Duration.ofHours(8);

    /** Whether the dashboard is mounted. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Sets whether the dashboard is mounted. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The mount path. */
    public String getPath() {
        return path;
    }

    /** Sets the mount path. */
    public void setPath(String path) {
        this.path = path;
    }

    /** The users. */
    public List<User> getUsers() {
        return users;
    }

    /** Sets the users. */
    public void setUsers(List<User> users) {
        this.users = users;
    }

    /** Whether read-only users see arguments. */
    public boolean isShowArgumentsToReadOnly() {
        return showArgumentsToReadOnly;
    }

    /** Sets whether read-only users see arguments. */
    public void setShowArgumentsToReadOnly(boolean showArgumentsToReadOnly) {
        this.showArgumentsToReadOnly = showArgumentsToReadOnly;
    }

    /** The session timeout. */
    public Duration getSessionTimeout() {
        return sessionTimeout;
    }

    /** Sets the session timeout. */
    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    /** A dashboard user. */
    public static class User {
        private String name;
        private String password;
        private DashboardRole role = DashboardRole.READ_ONLY;

        /** The login name. */
        public String getName() {
            return name;
        }

        /** Sets the login name. */
        public void setName(String name) {
            this.name = name;
        }

        /** The password (plain or {sha256}hex). */
        public String getPassword() {
            return password;
        }

        /** Sets the password. */
        public void setPassword(String password) {
            this.password = password;
        }

        /** The role. */
        public DashboardRole getRole() {
            return role;
        }

        /** Sets the role. */
        public void setRole(DashboardRole role) {
            this.role = role;
        }

        @Override
        public String toString() {
            return "User[" + name + ", " + role + "]";
        }
    }
}
