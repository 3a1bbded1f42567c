package io.taskq.dashboard.internal;

import io.taskq.dashboard.DashboardRole;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logged-in sessions, in memory: a random id (the cookie), the user and role, and the session's CSRF token. A
 * session ends after the idle timeout or at logout; a restart ends them all (users log in again).
 */
final class Sessions {
    /** Most sessions kept; past it the oldest idle ones go first (a flood of logins cannot fill the heap). */
    static final int MAX = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration timeout;

    Sessions(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /** One session. */
    static final class Session {
        final String id;
        final String user;
        final DashboardRole role;
        final String csrf;
        volatile Instant lastSeen;

        Session(String id, String user, DashboardRole role, String csrf, Instant lastSeen) {
            this.id = id;
            this.user = user;
            this.role = role;
            this.csrf = csrf;
            this.lastSeen = lastSeen;
        }

        boolean admin() {
            return role == DashboardRole.ADMIN;
        }
    }

    /** A new session for a user who just proved who they are. */
    Session open(String user, DashboardRole role) {
        Instant now = clock.instant();
        if (byId.size() >= MAX) {
            expire(now);
            byId.values().stream().min((a, b) -> a.lastSeen.compareTo(b.lastSeen)).ifPresent(s -> byId.remove(s.id));
        }
        Session s = new Session(token(), user, role, token(), now);
        byId.put(s.id, s);
        return s;
    }

    /** The live session of this id, its idle time restarted; null if none (never was, expired, logged out). */
    Session find(String id) {
        if (id == null) {
            return null;
        }
        Session s = byId.get(id);
        if (s == null) {
            return null;
        }
        Instant now = clock.instant();
        if (s.lastSeen.plus(timeout).isBefore(now)) {
            byId.remove(id);
            return null;
        }
        s.lastSeen = now;
        return s;
    }

    /** Ends a session. */
    void close(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    private void expire(Instant now) {
        byId.values().removeIf(s -> s.lastSeen.plus(timeout).isBefore(now));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
