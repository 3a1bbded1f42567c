package io.taskq.dashboard.internal;

import io.taskq.Taskq;
import io.taskq.dashboard.DashboardRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code TaskqDashboard.Builder} configured.
 *
 * @param taskq                   the application's taskq
 * @param scheduler               an {@code io.taskq.scheduler.Scheduler}, or null
 * @param users                   the users by name; empty: loopback clients only, each an admin
 * @param showArgumentsToReadOnly whether read-only users see arguments
 * @param sessionTimeout          idle time after which a login ends
 * @param clock                   the clock
 */
public record DashboardConfig(Taskq taskq, Object scheduler, Map<String, User> users, boolean showArgumentsToReadOnly,
                              Duration sessionTimeout, Clock clock) {

    /** Whether users are configured, so that every request needs a login. */
    public boolean authenticated() {
        return !users.isEmpty();
    }

    /**
     * A user: name, role and the SHA-256 of the password (kept only as a digest, so that comparing takes the same
     * time whatever the password, and a heap dump shows no password).
     */
    public record User(String name, byte[] passwordDigest, DashboardRole role) {

        /** Checks the parts. */
        public User {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(passwordDigest, "passwordDigest");
            Objects.requireNonNull(role, "role");
        }

        /** A user from the builder's arguments: the password plain or as {@code {sha256}<hex>}. */
        public static User of(String name, String password, DashboardRole role) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a dashboard user needs a name");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("dashboard user '" + name + "' needs a password");
            }
            Objects.requireNonNull(role, "role");
            String prefix = "{sha256}";
            if (password.regionMatches(true, 0, prefix, 0, prefix.length())) {
                String hex = password.substring(prefix.length()).toLowerCase(Locale.ROOT);
                if (!hex.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("dashboard user '" + name + "': a {sha256} password must be"
                            + " 64 hex digits");
                }
                return new User(name, HexFormat.of().parseHex(hex), role);
            }
            return new User(name, sha256(password), role);
        }

        /** Whether {@code password} is this user's, in time independent of where they differ. */
        public boolean matches(String password) {
            return MessageDigest.isEqual(passwordDigest, sha256(password == null ? "" : password));
        }

        @Override
        public String toString() {
            return "User[" + name + ", " + role + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof User u && u.name.equals(name) && u.role == role
                    && MessageDigest.isEqual(u.passwordDigest, passwordDigest);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, role);
        }
    }

    /** The SHA-256 of a text's UTF-8 bytes. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
