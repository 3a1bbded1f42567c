package io.taskq.scheduler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/scheduling.md must name every scheduler option and API method, so it cannot fall behind the code. */
class SchedulingDocTest {

    @Test
    void everyOptionAndOperationIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "scheduling.md"));
        List<String> missing = new ArrayList<>();
        for (Class<?> type : List.of(Scheduler.Builder.class, Scheduler.class, PeriodicTask.Builder.class)) {
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                        && !List.of("build", "close", "start", "isLeader", "instanceId").contains(m.getName())
                        && !doc.contains("`" + m.getName() + "(") && !doc.contains("`" + m.getName() + "`")
                        && !doc.contains("/ `" + m.getName()) && !doc.contains("`." + m.getName() + "(")) {
                    missing.add(type.getSimpleName() + "." + m.getName());
                }
            }
        }
        for (Method m : Periodic.class.getDeclaredMethods()) {
            if (!doc.contains("| `" + m.getName() + "` |")) {
                missing.add("@Periodic." + m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "not in docs/scheduling.md: " + missing);
    }
}
