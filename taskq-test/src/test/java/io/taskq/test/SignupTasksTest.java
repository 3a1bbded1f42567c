package io.taskq.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The example of docs/testing.md: an application's test of its own task, with the test kit. */
class SignupTasksTest {
    /** The application's tasks. */
    public static class SignupTasks {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger outages = new AtomicInteger(1);

        @Task(name = "signup.welcome", maxRetries = 3, backoff = "30s", backoffJitter = 0)
        public String welcome(String email) {
            if (outages.getAndDecrement() > 0) {
                throw new IllegalStateException("mail server down");
            }
            sent.add(email);
            return "sent to " + email;
        }
    }

    @Test
    void theWelcomeMailIsRetriedUntilItGoesOut() {
        SignupTasks tasks = new SignupTasks();
        try (TestTaskq tq = TestTaskq.create(tasks)) {
            TaskHandle<String> h = tq.taskq().submit(SignupTasks::welcome, "ada@example.com");

            assertEquals(TaskState.RETRY, tq.runDue().get(0).state());        // failed: retry in 30 s
            assertEquals(List.of(), tq.advanceAndRunDue(Duration.ofSeconds(29)));
            tq.advanceAndRunDue(Duration.ofSeconds(1));                       // the retry is due: it runs

            assertEquals("sent to ada@example.com", h.get(Duration.ZERO));
            assertEquals(List.of("ada@example.com"), tasks.sent);
        }
    }
}
