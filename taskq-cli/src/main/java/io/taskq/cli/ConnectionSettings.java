package io.taskq.cli;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the CLI connects, from the same environment variables as the example application and the Spring Boot
 * starter (docs/deployment.md): {@code TASKQ_REDIS_URL} (or {@code TASKQ_REDIS_CLUSTER}, comma-separated seeds),
 * {@code TASKQ_KEY_PREFIX}, {@code TASKQ_REDIS_USERNAME} and {@code TASKQ_REDIS_PASSWORD} (override the URL's),
 * {@code TASKQ_REDIS_SSL}, {@code TASKQ_REDIS_TRUST_STORE} and {@code TASKQ_REDIS_TRUST_STORE_PASSWORD}; a command
 * line option wins over its variable. The password is never part of {@link #toString()} or of any message: see
 * {@link #redact(String)}.
 */
record ConnectionSettings(String url, List<String> cluster, String keyPrefix, String username, String password,
                          boolean ssl, Path trustStore, String trustStorePassword, Duration startupWait) {

    static final String ENV_URL = "TASKQ_REDIS_URL";
    static final String ENV_CLUSTER = "TASKQ_REDIS_CLUSTER";
    static final String ENV_PREFIX = "TASKQ_KEY_PREFIX";
    static final String ENV_USERNAME = "TASKQ_REDIS_USERNAME";
    static final String ENV_PASSWORD = "TASKQ_REDIS_PASSWORD";
    static final String ENV_SSL = "TASKQ_REDIS_SSL";
    static final String ENV_TRUST_STORE = "TASKQ_REDIS_TRUST_STORE";
    static final String ENV_TRUST_STORE_PASSWORD = "TASKQ_REDIS_TRUST_STORE_PASSWORD";
    static final String DEFAULT_PREFIX = "taskq";

    ConnectionSettings {
        cluster = List.copyOf(cluster);
    }

    /** The settings from the options (null where not given) over the environment. */
    static ConnectionSettings resolve(GlobalOptions o, Map<String, String> env) {
        String url = first(o.url, env.get(ENV_URL));
        List<String> cluster = o.cluster != null && !o.cluster.isEmpty() ? o.cluster
                : split(env.get(ENV_CLUSTER));
        String password = env.get(ENV_PASSWORD);
        if (o.passwordFile != null) {
            password = readPassword(o.passwordFile);
        }
        String trustStore = env.get(ENV_TRUST_STORE);
        return new ConnectionSettings(url, cluster, first(o.keyPrefix, env.get(ENV_PREFIX), DEFAULT_PREFIX),
                first(o.username, env.get(ENV_USERNAME)), blankToNull(password),
                Boolean.parseBoolean(first(env.get(ENV_SSL), "false").trim()),
                trustStore == null || trustStore.isBlank() ? null : Path.of(trustStore.trim()),
                env.get(ENV_TRUST_STORE_PASSWORD), o.wait);
    }

    /** Whether a Redis is configured at all. */
    boolean configured() {
        return url != null || !cluster.isEmpty();
    }

    /** The URIs to connect to (one, or the cluster's seeds), with the credentials and TLS applied. */
    List<RedisURI> uris() {
        if (!configured()) {
            throw new CliFailure(ExitCode.USAGE, "no Redis configured: set " + ENV_URL + " (or " + ENV_CLUSTER
                    + "), pass --url, or use the launcher's --env-file with the application's env file");
        }
        List<RedisURI> out = new ArrayList<>();
        for (String u : cluster.isEmpty() ? List.of(url) : cluster) {
            out.add(uri(u));
        }
        return out;
    }

    private RedisURI uri(String text) {
        RedisURI uri;
        try {
            uri = RedisURI.create(text.trim());
        } catch (IllegalArgumentException e) {
            // Lettuce's message quotes the URL, and with it a password.
            throw new CliFailure(ExitCode.USAGE, "not a Redis URI (expected redis://, rediss:// or"
                    + " redis-sentinel://host:port...): " + redact(text));
        }
        if (password != null) {
            if (username != null && !username.isBlank()) {
                uri.setUsername(username);
            }
            uri.setPassword(password.toCharArray());
        } else if (username != null && !username.isBlank()) {
            throw new CliFailure(ExitCode.USAGE, ENV_USERNAME + " / --user is set without a password ("
                    + ENV_PASSWORD + " or --password-file)");
        }
        if (ssl) {
            uri.setSsl(true);
        }
        return uri;
    }

    /**
     * The text with every password this CLI knows replaced by {@code ***}: the one given and the one inside each
     * URL's user info. Every message the CLI prints goes through it.
     */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets()) {
            out = out.replace(secret, "***");
        }
        return out;
    }

    private List<String> secrets() {
        List<String> s = new ArrayList<>();
        addSecret(s, password);
        addSecret(s, trustStorePassword);
        List<String> urls = new ArrayList<>(cluster);
        if (url != null) {
            urls.add(url);
        }
        for (String u : urls) {
            addSecret(s, urlPassword(u));
        }
        return s;
    }

    private static void addSecret(List<String> list, String secret) {
        if (secret != null && !secret.isEmpty()) {
            list.add(secret);
        }
    }

    /** The password of a URL's user info ({@code scheme://user:password@host} or {@code scheme://password@host}). */
    static String urlPassword(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int at = url.lastIndexOf('@');
        if (at < scheme) {
            return null;
        }
        String info = url.substring(scheme + 3, at);
        int colon = info.indexOf(':');
        return colon >= 0 ? info.substring(colon + 1) : info;
    }

    /** Where the CLI connects, without credentials. */
    @Override
    public String toString() {
        String where = cluster.isEmpty() ? String.valueOf(url) : String.join(",", cluster);
        return "redis " + redact(where) + " prefix " + keyPrefix;
    }

    private static String readPassword(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliFailure(ExitCode.USAGE, "cannot read the password file " + file + ": " + e.getMessage());
        }
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null && !(v instanceof String s && s.isBlank())) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<String> split(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
