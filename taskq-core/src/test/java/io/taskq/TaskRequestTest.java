package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskRequestTest {

    static class Mail {
        @Task(name = "mail.send", queue = "mail")
        public String send(String to, int times) {
            return to;
        }
    }

    @Test
    void requestsAreImmutable() {
        TaskRequest<String> base = TaskRequest.of(Mail::send, "a", 1);
        TaskRequest<String> high = base.priority(9).countdown(Duration.ofSeconds(5));
        assertEquals("mail.send", base.taskName());
        assertTrue(base.id().isEmpty());
        assertEquals(9, high.priorityOrNull());
        assertEquals(null, base.priorityOrNull());
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        assertEquals(now.plusSeconds(5), high.etaAt(now));
        assertEquals(null, base.etaAt(now));
        assertEquals(now.plusSeconds(60), base.eta(now.plusSeconds(60)).etaAt(now));
        assertEquals(now.plusSeconds(1), base.eta(now).countdown(Duration.ofSeconds(1)).etaAt(now),
                "the last of eta and countdown wins");
    }

    @Test
    void rejectsBadOptions() {
        TaskRequest<String> r = TaskRequest.of(Mail::send, "a", 1);
        assertThrows(IllegalArgumentException.class, () -> r.priority(10));
        assertThrows(IllegalArgumentException.class, () -> r.priority(-1));
        assertThrows(IllegalArgumentException.class, () -> r.queue(" "));
        assertThrows(IllegalArgumentException.class, () -> r.id(""));
        assertThrows(IllegalArgumentException.class, () -> r.countdown(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> r.timeLimit(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> r.softTimeLimit(Duration.ZERO));
        TaskRequest<String> hard = r.timeLimit(Duration.ofSeconds(10));
        assertThrows(IllegalArgumentException.class, () -> hard.softTimeLimit(Duration.ofSeconds(10)));
        TaskRequest<String> soft = r.softTimeLimit(Duration.ofSeconds(10));
        assertThrows(IllegalArgumentException.class, () -> soft.timeLimit(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(9), hard.softTimeLimit(Duration.ofSeconds(9)).softTimeLimitOrNull());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.header("task", "x"));
        assertTrue(e.getMessage().contains("reserved"));
        assertThrows(IllegalArgumentException.class, () -> TaskRequest.named(" "));
    }

    @Test
    void namesWithControlCharactersAreRefusedWithThePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskRequest.named("p.echo\n{\"v\":1}\n", "x"));
        assertEquals("task name has a control character (U+000A) at index 6: control characters are not allowed in"
                + " task and queue names", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TaskRequest.named("p.echo").queue("a\u0000b"));
        assertTrue(e.getMessage().startsWith("queue has a control character (U+0000) at index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskRequest.named("p\u007fecho"));
        e = assertThrows(IllegalArgumentException.class,
                () -> new io.taskq.spi.TaskMessage("id", "q", "t\r", 4, null, "{}"));
        assertTrue(e.getMessage().startsWith("task name has a control character (U+000D) at index 1"),
                e.getMessage());
        assertEquals("p.échø-名前", TaskRequest.named("p.échø-名前").taskName(), "other characters are fine");
    }

    @Test
    void submitUsesTheAnnotationDefaults() {
        try (Taskq taskq = Taskq.builder().build()) {
            TaskHandle<String> h = taskq.submit(Mail::send, "a@b", 2);
            assertEquals("mail", h.queue());
            assertEquals(TaskState.PENDING, h.state());
            assertEquals(1, taskq.stats("mail").ready());
            TaskHandle<String> routed = taskq.submit(TaskRequest.of(Mail::send, "a@b", 2).queue("bulk"));
            assertEquals("bulk", routed.queue());
        }
    }

    @Test
    void aWorkerNeedsTasks() {
        try (Taskq taskq = Taskq.builder().build()) {
            assertThrows(IllegalStateException.class, taskq::startWorker);
        }
    }
}
