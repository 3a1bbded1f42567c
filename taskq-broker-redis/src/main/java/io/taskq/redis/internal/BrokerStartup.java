package io.taskq.redis.internal;

import io.lettuce.core.resource.ClientResources;

/**
 * Getting a broker connected: the first connection, the server check (version, ACL, eviction policy) and the
 * scripts loaded, as EVALSHA scripts and, on Redis 7+ unless turned off, as a function library; retried while Redis
 * is not reachable yet (see {@link Startup}).
 */
public final class BrokerStartup {
    private BrokerStartup() {
    }

    /**
     * The connections and the server's version.
     *
     * @param conns   the open connections
     * @param version the server's version, as INFO reported it
     */
    public record Connected(Connections conns, String version) {
    }

    /** Connects on {@code resources}; closes what it opened if it fails. */
    public static Connected connect(BrokerConfig config, ClientResources resources, Keys keys, Scripts scripts) {
        Endpoint endpoint = config.endpoint();
        return Startup.connect(endpoint, "Redis broker", () -> {
            Connections c = endpoint.connect(resources);
            try {
                String version = ServerCheck.check(c, endpoint, keys, config.prefix());
                scripts.loadAll(c.commands());
                scripts.loadFunctions(c, config.functions() && majorVersion(version) >= 7);
                return new Connected(c, version);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        });
    }

    /** The major version of a version string; 0 if unknown (INFO refused), which means EVALSHA. */
    static int majorVersion(String version) {
        try {
            return Integer.parseInt(version.substring(0, version.indexOf('.')));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
