package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.RetryPolicy;
import io.taskq.RetryPolicyConfig;
import io.taskq.RetryTaskException;
import io.taskq.TaskFailedException;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry policy as a value, and where a taskq takes each task's policy from. */
class RetryPolicyTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theDefaultsAreThoseOfTask() {
        RetryPolicyConfig c = RetryPolicy.builder().build().config();
        assertEquals(new RetryPolicyConfig(0, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10), 0.5, List.of(),
                List.of()), c);
        assertEquals(RetryPolicy.none(), RetryPolicy.builder().build());
    }

    @Test
    void theBuilderChecksEachValue() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().backoff(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> RetryPolicy.builder().backoff(null));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().backoffMax(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().backoffMultiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().backoffMultiplier(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().backoffJitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().backoffJitter(-0.1));
        assertThrows(NullPointerException.class, () -> RetryPolicy.builder().retryOn(IOException.class, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.builder(new RetryPolicyConfig(-2, Duration.ZERO, 1, Duration.ZERO, 0, List.of(),
                        List.of())));
        assertTrue(e.getMessage().contains("maxRetries"), e.getMessage());
    }

    @Test
    void aPolicyIsAnImmutableValueThatCopiesIntoABuilder() {
        RetryPolicy p = RetryPolicy.builder().maxRetries(3).backoff(Duration.ofMillis(100)).backoffMultiplier(3)
                .backoffMax(Duration.ofSeconds(5)).backoffJitter(0).retryOn(IOException.class)
                .noRetryOn(FileNotFoundException.class).build();
        assertEquals(p, p.toBuilder().build());
        assertEquals(p.hashCode(), RetryPolicy.builder(p.config()).build().hashCode());
        RetryPolicy more = p.toBuilder().maxRetries(4).build();
        assertNotEquals(p, more);
        assertEquals(3, p.config().maxRetries(), "the original is unchanged");
        assertEquals(List.of(IOException.class), more.config().retryOn());
        assertThrows(UnsupportedOperationException.class, () -> p.config().retryOn().clear());
    }

    @Test
    void retriesUntilTheMaxWithTheBackoffThenGivesUp() {
        RetryPolicy p = RetryPolicy.builder().maxRetries(2).backoff(Duration.ofMillis(100)).backoffMultiplier(3)
                .backoffMax(Duration.ofMillis(500)).backoffJitter(0).build();
        IllegalStateException boom = new IllegalStateException("boom");
        assertEquals(RetryPolicy.Decision.retryAfter(Duration.ofMillis(100)), p.decide(boom, 0));
        assertEquals(RetryPolicy.Decision.retryAfter(Duration.ofMillis(300)), p.decide(boom, 1));
        RetryPolicy.Decision last = p.decide(boom, 2);
        assertFalse(last.retry());
        assertNull(last.delay());
        assertEquals("failed after 3 attempts (max retries 2)", last.reason());
        assertEquals(Duration.ofMillis(500), p.delay(5), "capped by backoffMax");
        assertEquals("failed", RetryPolicy.none().decide(boom, 0).reason());
    }

    @Test
    void jitterTakesAtMostItsShareOffTheDelay() {
        RetryPolicy p = RetryPolicy.builder().maxRetries(1).backoff(Duration.ofSeconds(4)).backoffJitter(0.5).build();
        for (int i = 0; i < 100; i++) {
            long ms = p.decide(new IOException(), 0).delay().toMillis();
            assertTrue(ms >= 2000 && ms <= 4000, "jitter 0.5 keeps 2..4 s, got " + ms);
        }
    }

    @Test
    void onlyRetryableExceptionsAreRetried() {
        RetryPolicy p = RetryPolicy.builder().maxRetries(5).retryOn(IOException.class)
                .noRetryOn(FileNotFoundException.class).build();
        assertTrue(p.decide(new IOException(), 0).retry());
        assertEquals("failed, not retryable", p.decide(new FileNotFoundException(), 0).reason(), "noRetryOn wins");
        assertEquals("failed, not retryable", p.decide(new IllegalStateException(), 0).reason(), "not in retryOn");
    }

    @Test
    void aRetryTheTaskAsksForIsRetryableAndKeepsItsCountdown() {
        RetryPolicy p = RetryPolicy.builder().maxRetries(1).retryOn(IOException.class).build();
        RetryTaskException ask = RetryTaskException.in(Duration.ofSeconds(7), new IllegalStateException());
        assertEquals(RetryPolicy.Decision.retryAfter(Duration.ofSeconds(7)), p.decide(ask, 0));
        long backoffMs = p.decide(RetryTaskException.withBackoff(null), 0).delay().toMillis();
        assertTrue(backoffMs >= 500 && backoffMs <= 1000, "withBackoff: the policy's 1 s, jittered: " + backoffMs);
        assertEquals("failed after 2 attempts (max retries 1)", p.decide(ask, 1).reason());
    }

    @Test
    void aDecisionIsEitherARetryWithADelayOrGivingUpWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy.Decision(true, null, null));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy.Decision(true, Duration.ofSeconds(-1),
                null));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy.Decision(false, Duration.ZERO, "x"));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy.Decision(false, null, null));
    }

    // ------------------------------------------------------------------ on a taskq

    private static void run(Taskq taskq, ExtensionTasks tasks, String name, int attempts) {
        taskq.startWorker(WorkerOptions.builder().concurrency(1).claimWait(Duration.ofMillis(200)).build());
        assertThrows(TaskFailedException.class, () -> taskq.submit(name).get(WAIT));
        Await.until(WAIT, name + " ran " + attempts + " times", () -> tasks.count(name.substring(2)) == attempts);
    }

    @Test
    void aPolicySetForATaskReplacesItsAnnotation() {
        ExtensionTasks tasks = new ExtensionTasks();
        try (Taskq taskq = Taskq.builder().tasks(tasks)
                .retryPolicy("x.fails", RetryPolicy.builder().maxRetries(3).backoff(Duration.ZERO).build())
                .build()) {
            run(taskq, tasks, "x.fails", 4);
        }
    }

    @Test
    void theDefaultPolicyServesTasksThatDeclareNoRetryAttribute() {
        ExtensionTasks tasks = new ExtensionTasks();
        try (Taskq taskq = Taskq.builder().tasks(tasks)
                .retryPolicy(RetryPolicy.builder().maxRetries(2).backoff(Duration.ZERO).build()).build()) {
            run(taskq, tasks, "x.plain", 3);
            run(taskq, tasks, "x.fails", 2); // its own maxRetries = 1
        }
    }

    @Test
    void aPolicyForATaskThatIsNotRegisteredIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Taskq.builder()
                .tasks(new ExtensionTasks()).retryPolicy("x.typo", RetryPolicy.none()).build());
        assertTrue(e.getMessage().contains("'x.typo'"), e.getMessage());
    }
}
