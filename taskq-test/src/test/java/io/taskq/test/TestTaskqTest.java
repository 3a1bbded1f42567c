package io.taskq.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Task;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskRevokedException;
import io.taskq.TaskState;
import io.taskq.Taskq;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestTaskqTest {
    /** The application's tasks, as a test of them would have them. */
    public static final class Tasks {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        volatile Taskq taskq;

        @Task(name = "t.echo")
        public String echo(String s) {
            calls.add(s);
            return s;
        }

        @Task(name = "t.flaky", maxRetries = 3, backoff = "10s", backoffJitter = 0)
        public String flaky() {
            calls.add("flaky");
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("down");
            }
            return "up";
        }

        @Task(name = "t.broken")
        public void broken() {
            throw new IllegalArgumentException("never works");
        }

        @Task(name = "t.fanOut")
        public void fanOut(String s) {
            calls.add("fanOut " + s);
            taskq.submit(TaskRequest.of(Tasks::echo, s + " now").queue("other"));
            taskq.submit(TaskRequest.of(Tasks::echo, s + " later").countdown(Duration.ofMinutes(1)));
        }

        @Task(name = "t.forever")
        public void forever(int n) {
            taskq.submit(Tasks::forever, n + 1);
        }

        @Task(name = "t.suffix")
        public String suffix(String suffix, String previous) {
            calls.add("suffix " + previous);
            return previous + suffix;
        }

        @Task(name = "t.quiet", ignoreResult = true)
        public void quiet() {
            calls.add("quiet");
        }
    }

    private final Tasks tasks = new Tasks();
    private TestTaskq tq;

    @BeforeEach
    void start() {
        tq = TestTaskq.create(new SettableClock(Instant.parse("2030-01-01T00:00:00Z")), tasks);
        tasks.taskq = tq.taskq();
    }

    @AfterEach
    void stop() {
        tq.close();
    }

    @Test
    void nothingRunsUntilRunDueThenEverythingDueRunsAndHandlesAnswerAtOnce() {
        TaskHandle<String> h = tq.taskq().submit(Tasks::echo, "hello");
        assertEquals(List.of(), tasks.calls, "no worker runs on its own");
        assertFalse(h.isDone());

        List<RanTask> ran = tq.runDue();

        assertEquals(List.of(new RanTask(h.id(), "default", "t.echo", TaskState.SUCCESS, 1, null)), ran);
        assertEquals("hello", h.get(Duration.ZERO));
        assertEquals(List.of(), tq.runDue(), "nothing left");
    }

    @Test
    void aChainRunsStepByStepInOneRunDue() {
        io.taskq.ChainHandle<String> h = tq.taskq().submit(io.taskq.Chain.of(TaskRequest.of(Tasks::echo, "a"))
                .then(io.taskq.Signature.of(Tasks::suffix, "b"))
                .then(io.taskq.Signature.of(Tasks::suffix, "c")));
        assertEquals(3, tq.runDue().size());
        assertEquals("abc", h.get(Duration.ZERO));
        assertEquals(List.of("a", "suffix a", "suffix ab"), tasks.calls);
    }

    @Test
    void tasksRunByPriorityThenInSubmitOrder() {
        tq.taskq().submit(TaskRequest.of(Tasks::echo, "low").priority(1));
        tq.taskq().submit(TaskRequest.of(Tasks::echo, "high 1").priority(9));
        tq.taskq().submit(TaskRequest.of(Tasks::echo, "high 2").priority(9));
        tq.runDue();
        assertEquals(List.of("high 1", "high 2", "low"), tasks.calls);
    }

    @Test
    void aRetryRunsOnceTheClockPassedItsBackoff() {
        tasks.failuresLeft.set(2);
        TaskHandle<String> h = tq.taskq().submit(Tasks::flaky);

        RanTask first = tq.runDue().get(0);
        assertEquals(TaskState.RETRY, first.state());
        assertEquals("java.lang.IllegalStateException", first.error().type());
        assertEquals(List.of(), tq.advanceAndRunDue(Duration.ofSeconds(9)), "the 10 s backoff has not passed");
        assertEquals(TaskState.RETRY, tq.advanceAndRunDue(Duration.ofSeconds(1)).get(0).state());
        List<RanTask> third = tq.advanceAndRunDue(Duration.ofSeconds(20));

        assertEquals(List.of(TaskState.SUCCESS), third.stream().map(RanTask::state).toList());
        assertEquals(3, third.get(0).attempt());
        assertEquals("up", h.get(Duration.ZERO));
        assertEquals(List.of("flaky", "flaky", "flaky"), tasks.calls);
    }

    @Test
    void aFailureIsDeadLetteredAndTheHandleSaysWhy() {
        TaskHandle<Void> h = tq.taskq().submit(Tasks::broken);
        assertEquals(TaskState.FAILURE, tq.runDue().get(0).state());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(Duration.ZERO));
        assertTrue(e.getMessage().contains("never works"), e.getMessage());
        assertEquals(h.id(), tq.taskq().deadLetters("default", 10).get(0).id());
    }

    @Test
    void countdownsAndEtasRunWhenTheClockReachesThem() {
        tq.taskq().submit(TaskRequest.of(Tasks::echo, "in 5 min").countdown(Duration.ofMinutes(5)));
        tq.taskq().submit(TaskRequest.of(Tasks::echo, "at 1 h").eta(tq.clock().instant().plus(Duration.ofHours(1))));
        assertEquals(List.of(), tq.runDue());
        assertEquals(1, tq.advanceAndRunDue(Duration.ofMinutes(5)).size());
        assertEquals(List.of("in 5 min"), tasks.calls);
        tq.clock().set(Instant.parse("2030-01-01T01:00:00Z"));
        assertEquals(1, tq.runDue().size());
        assertEquals(List.of("in 5 min", "at 1 h"), tasks.calls);
    }

    @Test
    void tasksThatTasksSubmitRunInTheSameRunWhenDueEvenOnAnotherQueue() {
        tq.taskq().submit(Tasks::fanOut, "x");
        List<RanTask> ran = tq.runDue();
        assertEquals(List.of("t.fanOut", "t.echo"), ran.stream().map(RanTask::task).toList());
        assertEquals("other", ran.get(1).queue());
        assertEquals(List.of("fanOut x", "x now"), tasks.calls);
        tq.advanceAndRunDue(Duration.ofMinutes(1));
        assertEquals(List.of("fanOut x", "x now", "x later"), tasks.calls);
    }

    @Test
    void anExpiredTaskIsRevokedNotRun() {
        TaskHandle<String> h = tq.taskq().submit(TaskRequest.of(Tasks::echo, "stale")
                .countdown(Duration.ofMinutes(2)).expiresIn(Duration.ofMinutes(1)));
        assertEquals(TaskState.REVOKED, tq.advanceAndRunDue(Duration.ofMinutes(2)).get(0).state());
        assertThrows(TaskRevokedException.class, () -> h.get(Duration.ZERO));
        assertEquals(List.of(), tasks.calls);
    }

    @Test
    void aTaskWithoutAStoredResultStillCountsAsRun() {
        tq.taskq().submit(Tasks::quiet);
        assertEquals(TaskState.SUCCESS, tq.runDue().get(0).state());
        assertEquals(List.of("quiet"), tasks.calls);
    }

    @Test
    void tasksThatSubmitEachOtherWithoutEndStopTheRun() {
        try (TestTaskq bounded = new TestTaskq(new SettableClock(), 20, new Object[] {tasks})) {
            tasks.taskq = bounded.taskq();
            bounded.taskq().submit(Tasks::forever, 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, bounded::runDue);
            assertTrue(e.getMessage().contains("after 20 tasks"), e.getMessage());
        }
    }
}
