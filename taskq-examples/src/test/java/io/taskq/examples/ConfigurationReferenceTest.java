package io.taskq.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.redis.RedisBackend;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.scheduler.Periodic;
import io.taskq.scheduler.Scheduler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md names every option of the Redis backend and broker, the Redis schedule store and the
 * scheduler, and every environment variable the application reads, so the reference cannot drift from the code.
 */
class ConfigurationReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everyBuilderOptionIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        List<String> missing = new ArrayList<>();
        for (Class<?> builder : List.of(RedisBackend.Builder.class, RedisBroker.Builder.class,
                RedisScheduleStore.Builder.class, Scheduler.Builder.class)) {
            for (Method m : builder.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("build")
                        && !doc.contains("`" + m.getName() + "(")) {
                    missing.add(builder.getEnclosingClass().getSimpleName() + ".Builder." + m.getName());
                }
            }
        }
        String scheduling = Files.readString(Path.of("..", "docs", "scheduling.md"));
        for (Method m : Periodic.class.getDeclaredMethods()) {
            if (!scheduling.contains("`" + m.getName() + "`")) {
                missing.add("@Periodic." + m.getName() + " (docs/scheduling.md)");
            }
        }
        assertTrue(missing.isEmpty(), "not documented: " + missing);
    }

    @Test
    void everyEnvironmentVariableIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        String source = Files.readString(Path.of("src", "main", "java", "io", "taskq", "examples", "app",
                "AppConfig.java"));
        Matcher m = Pattern.compile("\"(TASKQ_[A-Z_]+)\"").matcher(source);
        List<String> missing = new ArrayList<>();
        int found = 0;
        while (m.find()) {
            found++;
            if (!doc.contains("`" + m.group(1) + "`")) {
                missing.add(m.group(1));
            }
        }
        assertTrue(found >= 7, "the application reads its settings from TASKQ_ variables");
        assertTrue(missing.isEmpty(), "not in docs/configuration.md: " + missing);
    }
}
