package io.taskq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {
    private static final Map<String, String> UAT = Map.of(
            "TASKQ_REDIS_URL", "redis://uat:CHANGE-ME-uat@127.0.0.1:6379/0",
            "TASKQ_KEY_PREFIX", "uat");

    @Test
    void readsTheApplicationsVariables() {
        ConnectionSettings s = ConnectionSettings.resolve(new GlobalOptions(), UAT);
        assertEquals("uat", s.keyPrefix());
        RedisURI uri = s.uris().get(0);
        assertEquals("uat", uri.getUsername());
        assertEquals("CHANGE-ME-uat", new String(uri.getPassword()));
        assertEquals(6379, uri.getPort());
        assertEquals("taskq", ConnectionSettings.resolve(new GlobalOptions(),
                Map.of("TASKQ_REDIS_URL", "redis://h:1")).keyPrefix());
    }

    @Test
    void optionsAndPasswordVariablesOverrideTheUrl(@TempDir Path dir) throws Exception {
        GlobalOptions o = new GlobalOptions();
        o.keyPrefix = "live";
        o.username = "ops";
        ConnectionSettings s = ConnectionSettings.resolve(o, Map.of("TASKQ_REDIS_URL", "redis://uat:old@h:1/0",
                "TASKQ_KEY_PREFIX", "uat", "TASKQ_REDIS_PASSWORD", "from-env"));
        assertEquals("live", s.keyPrefix());
        RedisURI uri = s.uris().get(0);
        assertEquals("ops", uri.getUsername());
        assertEquals("from-env", new String(uri.getPassword()));

        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\n");
        o.passwordFile = file;
        assertEquals("from-file", new String(ConnectionSettings.resolve(o, Map.of("TASKQ_REDIS_URL", "redis://h:1"))
                .uris().get(0).getPassword()));
    }

    @Test
    void aUserWithoutPasswordOrNoRedisIsAUsageError() {
        GlobalOptions o = new GlobalOptions();
        o.username = "ops";
        CliFailure f = assertThrows(CliFailure.class,
                () -> ConnectionSettings.resolve(o, Map.of("TASKQ_REDIS_URL", "redis://h:1")).uris());
        assertEquals(ExitCode.USAGE, f.exitCode());
        CliFailure none = assertThrows(CliFailure.class,
                () -> ConnectionSettings.resolve(new GlobalOptions(), Map.of()).uris());
        assertEquals(ExitCode.USAGE, none.exitCode());
        assertTrue(none.getMessage().contains("TASKQ_REDIS_URL"));
    }

    @Test
    void clusterSeedsComeCommaSeparated() {
        ConnectionSettings s = ConnectionSettings.resolve(new GlobalOptions(),
                Map.of("TASKQ_REDIS_CLUSTER", "redis://a:1, redis://b:2", "TASKQ_REDIS_PASSWORD", "pw"));
        List<RedisURI> uris = s.uris();
        assertEquals(2, uris.size());
        assertEquals("b", uris.get(1).getHost());
        assertEquals("pw", new String(uris.get(1).getPassword()));
    }

    @Test
    void neverShowsAPassword() {
        ConnectionSettings s = ConnectionSettings.resolve(new GlobalOptions(),
                Map.of("TASKQ_REDIS_URL", "redis://uat:url-secret@h:1/0", "TASKQ_REDIS_PASSWORD", "env-secret"));
        String shown = s.toString() + s.redact("failed: redis://uat:url-secret@h:1/0 with env-secret");
        assertFalse(shown.contains("url-secret"), shown);
        assertFalse(shown.contains("env-secret"), shown);
        assertTrue(shown.contains("redis://uat:***@h:1/0"), shown);
        CliFailure bad = assertThrows(CliFailure.class, () -> ConnectionSettings.resolve(new GlobalOptions(),
                Map.of("TASKQ_REDIS_URL", "not a uri://x:hidden@")).uris());
        assertFalse(bad.getMessage().contains("hidden"), bad.getMessage());
    }

    @Test
    void findsTheUrlsPassword() {
        assertEquals("pw", ConnectionSettings.urlPassword("redis://user:pw@h:1"));
        assertEquals("pw", ConnectionSettings.urlPassword("rediss://pw@h:1"));
        assertNull(ConnectionSettings.urlPassword("redis://h:1"));
        assertEquals("p@ss", ConnectionSettings.urlPassword("redis://u:p@ss@h:1"));
    }
}
