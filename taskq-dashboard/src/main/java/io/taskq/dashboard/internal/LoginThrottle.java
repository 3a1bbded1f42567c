package io.taskq.dashboard.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} failed logins within {@link #WINDOW} from one client address,
 * or for one user name, further attempts of that address or name are refused (429) until the window has passed,
 * the right password included.
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    /** Most addresses and names tracked; past it the oldest failures are forgotten first. */
    private static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Refuses (429) if the address or the name has failed too often lately. */
    synchronized void check(String address, String user) {
        Instant now = clock.instant();
        if (blocked("a:" + address, now) || (user != null && blocked("u:" + user, now))) {
            throw new ApiException(429, "too many failed logins: try again in " + WINDOW.toMinutes() + " minutes");
        }
    }

    synchronized void failed(String address, String user) {
        Instant now = clock.instant();
        record("a:" + address, now);
        if (user != null) {
            record("u:" + user, now);
        }
    }

    private boolean blocked(String key, Instant now) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return false;
        }
        while (!d.isEmpty() && !d.peekFirst().plus(WINDOW).isAfter(now)) {
            d.removeFirst();
        }
        if (d.isEmpty()) {
            failures.remove(key);
            return false;
        }
        return d.size() >= MAX_FAILURES;
    }

    private void record(String key, Instant now) {
        if (failures.size() >= MAX_KEYS && !failures.containsKey(key)) {
            failures.values().removeIf(d -> d.isEmpty() || !d.peekLast().plus(WINDOW).isAfter(now));
            if (failures.size() >= MAX_KEYS) {
                failures.clear();
            }
        }
        Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        d.addLast(now);
        while (d.size() > MAX_FAILURES) {
            d.removeFirst();
        }
    }
}
