package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mistakes a user makes at the API: each gets an error that says what is wrong, not an NPE or an overflow. */
class InputErrorsTest {

    static class Tasks {
        @Task(name = "t.echo")
        public String echo(String s) {
            return s;
        }

        @Task(name = "t.thread")
        public Thread thread() {
            return Thread.currentThread();
        }

        @Task(name = "t.takesThread")
        public String takesThread(Thread t) {
            return "never";
        }
    }

    static class NotPublic {
        @Task(name = "t.hidden")
        String hidden() {
            return "";
        }
    }

    static class Protected {
        @Task(name = "t.protected")
        protected void prot() {
        }
    }

    @Test
    void aNonPublicTaskMethodIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Taskq.builder().tasks(new NotPublic()).build());
        assertTrue(e.getMessage().startsWith("@Task io.taskq.InputErrorsTest$NotPublic.hidden is not public"),
                e.getMessage());
        assertTrue(e.getMessage().contains("make it public"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Taskq.builder().tasks(new Protected()).build());
    }

    @Test
    void aNullArgumentArrayIsAClearError() {
        try (Taskq taskq = Taskq.builder().tasks(new Tasks()).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> taskq.submit("t.echo", (Object[]) null));
            assertTrue(e.getMessage().contains("arguments array is null"), e.getMessage());
            assertTrue(e.getMessage().contains("(Object) null"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TaskRequest.named("t.echo", String.class,
                    (Object[]) null));
            // One null argument is fine.
            assertEquals(1, TaskRequest.named("t.echo", (Object) null).args().size());
        }
    }

    @Test
    void timesBeyondTheLatestSchedulableInstantAreClearErrors() {
        try (Taskq taskq = Taskq.builder().tasks(new Tasks()).build()) {
            TaskRequest<String> r = TaskRequest.of(Tasks::echo, "x");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.eta(Instant.MAX));
            assertTrue(e.getMessage().startsWith("eta " + Instant.MAX + " is after "), e.getMessage());
            assertTrue(e.getMessage().contains(TaskRequest.LATEST.toString()), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> r.expires(Instant.MAX));
            assertThrows(IllegalArgumentException.class, () -> r.eta(Instant.MIN));

            e = assertThrows(IllegalArgumentException.class,
                    () -> taskq.submit(r.countdown(Duration.ofSeconds(Long.MAX_VALUE))));
            assertTrue(e.getMessage().startsWith("countdown PT"), e.getMessage());
            assertTrue(e.getMessage().contains("is after " + TaskRequest.LATEST), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> taskq.submit(r.expiresIn(Duration.ofSeconds(Long.MAX_VALUE))));
            assertTrue(e.getMessage().startsWith("expiresIn PT"), e.getMessage());

            // The latest instant itself is accepted.
            TaskHandle<String> h = taskq.submit(r.eta(TaskRequest.LATEST));
            assertEquals(TaskState.PENDING, h.state());
        }
    }

    @Test
    void aResultThatIsNotDataFailsWithAShortClearReason() {
        try (Taskq taskq = Taskq.builder().tasks(new Tasks()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(1).build());
            TaskHandle<Thread> h = taskq.submit(Tasks::thread);
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(Duration.ofSeconds(10)));
            assertEquals("taskq.ResultNotSerializable", e.error().type());
            String m = e.error().message();
            assertTrue(m.contains("java.lang.Thread is not data"), m);
            assertTrue(m.length() < 600, "a reason, not a dump of the thread's getters: " + m);
            List<DeadLetter> dead = taskq.deadLetters("default", 10);
            assertEquals(1, dead.size());
        }
    }

    @Test
    void anArgumentThatIsNotDataIsRefusedAtSubmit() {
        try (Taskq taskq = Taskq.builder().tasks(new Tasks()).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> taskq.submit(Tasks::takesThread, Thread.currentThread()));
            assertTrue(e.getMessage().startsWith("argument 1 of task 't.takesThread' cannot be encoded as JSON"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("java.lang.Thread is not data"), e.getMessage());
            assertTrue(e.getMessage().length() < 600, e.getMessage());
        }
    }
}
