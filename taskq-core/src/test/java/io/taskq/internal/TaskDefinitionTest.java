package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Task;
import io.taskq.TaskRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskDefinitionTest {

    static class Good {
        @Task
        public List<String> unnamed(Map<String, Integer> m) {
            return List.of();
        }

        @Task(name = "good.named", queue = "q", priority = 9, maxRetries = 3, backoff = "2s", backoffMax = "1m",
                backoffMultiplier = 3, backoffJitter = 0, retryOn = IOException.class,
                noRetryOn = java.io.FileNotFoundException.class, timeLimit = "PT5S", ignoreResult = true)
        public void named() {
        }

        public String notATask() {
            return "";
        }
    }

    static class Twice {
        @Task(name = "same")
        public void a() {
        }
    }

    static class TwiceAgain {
        @Task(name = "same")
        public void b() {
        }
    }

    static class BadPriority {
        @Task(priority = 10)
        public void x() {
        }
    }

    static class BadDuration {
        @Task(timeLimit = "soon")
        public void x() {
        }
    }

    static class SoftNotShorter {
        @Task(timeLimit = "5s", softTimeLimit = "5s")
        public void x() {
        }
    }

    static class StaticTask {
        @Task
        public static void x() {
        }
    }

    static class NoTasks {
    }

    static class NewlineName {
        @Task(name = "a.echo\nb.add")
        public void x() {
        }
    }

    static class TabQueue {
        @Task(name = "tab", queue = "q\tx")
        public void x() {
        }
    }

    @Test
    void readsTheAnnotation() throws Exception {
        TaskDefinition d = TaskDefinition.of(Good.class.getMethod("named"));
        assertEquals("good.named", d.name());
        assertEquals("q", d.queue());
        assertEquals(9, d.priority());
        assertEquals(3, d.retryPolicy().config().maxRetries());
        assertEquals(Duration.ofSeconds(2), d.retryPolicy().config().backoff());
        assertEquals(Duration.ofSeconds(5), d.timeLimit());
        assertTrue(d.ignoreResult());
        assertTrue(d.isVoid());
        assertTrue(d.retryPolicy().isRetryable(new IOException()));
        assertFalse(d.retryPolicy().isRetryable(new java.io.FileNotFoundException()), "noRetryOn wins");
        assertFalse(d.retryPolicy().isRetryable(new UncheckedIOException(new IOException())), "not in retryOn");
    }

    @Test
    void defaultNameIsClassAndMethod() throws Exception {
        TaskDefinition d = TaskDefinition.of(Good.class.getMethod("unnamed", Map.class));
        assertEquals(Good.class.getName() + ".unnamed", d.name());
        assertEquals("default", d.queue());
        assertEquals(4, d.priority());
        assertNull(d.timeLimit());
        assertEquals("java.util.Map<java.lang.String,java.lang.Integer>", d.parameterTypes().get(0).toCanonical());
        assertTrue(d.parameterLabel(0).startsWith("m: "), "compiled with -parameters: " + d.parameterLabel(0));
    }

    @Test
    void rejectsBadDeclarations() {
        assertMessage("duplicate task name 'same'", () -> TaskRegistry.scan(List.of(new Twice(), new TwiceAgain())));
        assertMessage("priority must be 0..9", () -> TaskRegistry.scan(List.of(new BadPriority())));
        assertMessage("'soon' is not a duration", () -> TaskRegistry.scan(List.of(new BadDuration())));
        assertMessage("softTimeLimit 5s must be shorter than timeLimit 5s",
                () -> TaskRegistry.scan(List.of(new SoftNotShorter())));
        assertMessage("is static", () -> TaskRegistry.scan(List.of(new StaticTask())));
        assertMessage("has no @Task methods", () -> TaskRegistry.scan(List.of(new NoTasks())));
        assertMessage("name has a control character (U+000A) at index 6",
                () -> TaskRegistry.scan(List.of(new NewlineName())));
        assertMessage("queue has a control character (U+0009) at index 1",
                () -> TaskRegistry.scan(List.of(new TabQueue())));
        assertMessage("not annotated with @Task", () -> TaskDefinition.of(Good.class.getMethod("notATask")));
    }

    @Test
    void methodReferencesResolveToTheirTask() {
        TaskRef.Proc0<Good> ref = Good::named;
        assertEquals("good.named", MethodRefs.definitionOf(ref).name());
        TaskRef.Fn0<Good, String> notATask = Good::notATask;
        assertMessage("not annotated with @Task", () -> MethodRefs.definitionOf(notATask));
        TaskRef.Fn0<Good, String> lambda = g -> "x";
        assertMessage("not a lambda", () -> MethodRefs.definitionOf(lambda));
    }

    @Test
    void backoffGrowsToItsMaxAndJitterStaysBelowTheBase() {
        Backoff b = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0.5);
        assertEquals(Duration.ofSeconds(1), b.base(0));
        assertEquals(Duration.ofSeconds(4), b.base(2));
        assertEquals(Duration.ofSeconds(10), b.base(10));
        for (int i = 0; i < 100; i++) {
            long ms = b.delay(3).toMillis();
            assertTrue(ms >= 4000 && ms <= 8000, "jitter 0.5 keeps 4..8 s, got " + ms);
        }
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 0.5, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 2, null, 1.5));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "x"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m", "x"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h", "x"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d", "x"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("PT1M30S", "x"));
        assertNull(Durations.parse(" ", "x"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-PT1S", "x"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expected), "'" + ex.getMessage() + "' should contain '" + expected + "'");
    }
}
