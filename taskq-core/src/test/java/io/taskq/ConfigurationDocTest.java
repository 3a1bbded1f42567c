package io.taskq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must name every configuration method, so it cannot fall behind the code. */
class ConfigurationDocTest {

    @Test
    void everyBuilderOptionIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        List<String> missing = new ArrayList<>();
        for (Class<?> builder : List.of(Taskq.Builder.class, WorkerOptions.Builder.class)) {
            for (Method m : builder.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("build")
                        && !doc.contains("`" + m.getName() + "(")) {
                    missing.add(builder.getSimpleName() + "." + m.getName());
                }
            }
        }
        for (Method m : Task.class.getDeclaredMethods()) {
            if (!doc.contains("| `" + m.getName() + "` |")) {
                missing.add("@Task." + m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "not in docs/configuration.md: " + missing);
    }
}
