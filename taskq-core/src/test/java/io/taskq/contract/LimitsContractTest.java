package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Chain;
import io.taskq.DeadLetter;
import io.taskq.Limits;
import io.taskq.RateLimit;
import io.taskq.Signature;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Uniqueness;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.LimitStore;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The limits contract (docs/limits.md): rate limits per task, per key and per queue, concurrency limits and their
 * run-time changes, enforced in the broker's claim on the fixture's settable clock. Claims are made on the broker
 * directly (without waiting), so that what a claim may take at a given time is exact; one test runs a worker.
 * Every broker module extends this class.
 */
public abstract class LimitsContractTest extends TaskqFixture<LimitTasks> {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Override
    protected LimitTasks newTasks() {
        return new LimitTasks();
    }

    @Override
    protected void release(LimitTasks t) {
    }

    @org.junit.jupiter.api.BeforeEach
    void stopTheClock() {
        clock.stop();
    }

    private List<Delivery> claim(int max) {
        return claim(max, LEASE);
    }

    private List<Delivery> claim(int max, Duration lease) {
        try {
            return broker.claim(new ClaimRequest("c-1", List.of("lim"), max, lease, Duration.ZERO));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> ids(List<Delivery> ds) {
        return ds.stream().map(Delivery::id).toList();
    }

    private void done(Delivery d) {
        TaskRecord r = new TaskRecord(d.id(), d.queue(), d.task(), TaskState.SUCCESS, "null", null, 0, d.attempt(),
                "c-1", clock.instant(), null);
        assertEquals(List.of(true), broker.finishAndClaim(List.of(), clock.instant(), List.of(Outcome.done(d, r)),
                null).accepted());
    }

    @Test
    void aTaskOverItsRateStaysQueuedAndStartsWhenTheLimitAllowsInOrder() {
        List<String> sent = List.of("a", "b", "c").stream()
                .map(l -> taskq.submit(TaskRequest.of(LimitTasks::slow, l)).id()).toList();
        assertEquals(List.of(sent.get(0)), ids(claim(10)));
        assertEquals(List.of(), claim(10), "1/s: nothing more in the same second");
        assertEquals(TaskState.PENDING, taskq.handle(sent.get(1)).state(), "still queued, not failed");
        clock.advance(Duration.ofMillis(999));
        assertEquals(List.of(), claim(10));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(sent.get(1)), ids(claim(10)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(sent.get(2)), ids(claim(10)));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of(), claim(10));
    }

    @Test
    void tasksBehindALimitedOneAreNotHeldUp() {
        taskq.submit(TaskRequest.of(LimitTasks::slow, "a"));
        taskq.submit(TaskRequest.of(LimitTasks::slow, "b"));
        taskq.submit(TaskRequest.of(LimitTasks::slow, "c"));
        TaskHandle<Void> free = taskq.submit(TaskRequest.of(LimitTasks::free, 1));
        List<Delivery> got = claim(10);
        assertEquals(2, got.size());
        assertTrue(ids(got).contains(free.id()));
        assertEquals(List.of(), claim(10));
    }

    @Test
    void aPerKeyLimitCountsEachKeyApart() {
        for (String t : List.of("acme", "acme", "globex", "globex", "acme")) {
            taskq.submit(TaskRequest.of(LimitTasks::tenant, t, 1));
        }
        assertEquals(Map.of("acme", 1L, "globex", 1L), tenants(claim(10)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Map.of("acme", 1L, "globex", 1L), tenants(claim(10)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Map.of("acme", 1L), tenants(claim(10)));
    }

    private Map<String, Long> tenants(List<Delivery> ds) {
        return ds.stream().collect(Collectors.groupingBy(d -> d.body().contains("\"acme\"") ? "acme" : "globex",
                Collectors.counting()));
    }

    @Test
    void aKeyFromAHeaderAndAKeyGivenByTheCall() {
        taskq.submit(TaskRequest.of(LimitTasks::byHeader, 1).header("tenant", "acme"));
        taskq.submit(TaskRequest.of(LimitTasks::byHeader, 2).header("tenant", "acme"));
        taskq.submit(TaskRequest.of(LimitTasks::byHeader, 3).header("tenant", "globex"));
        taskq.submit(TaskRequest.of(LimitTasks::byHeader, 4).header("tenant", "acme").limitKey("initech"));
        assertEquals(3, claim(10).size(), "acme, globex and initech once each");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, claim(10).size());
    }

    @Test
    void aRateGivenByTheCallReplacesTheDeclaredOne() {
        for (int i = 0; i < 4; i++) {
            taskq.submit(TaskRequest.of(LimitTasks::free, i).rateLimit(RateLimit.of(2, Duration.ofSeconds(1))
                    .withBurst(2)));
        }
        assertEquals(2, claim(10).size(), "a burst of 2");
        clock.advance(Duration.ofMillis(500));
        assertEquals(1, claim(10).size(), "then one per 500 ms");
        clock.advance(Duration.ofMillis(500));
        assertEquals(1, claim(10).size());
    }

    @Test
    void aQueueRateLimitCountsEveryTaskOfTheQueue() {
        try (Taskq limited = Taskq.builder().broker(broker).clock(clock).tasks(tasks)
                .queueRateLimit("lim", RateLimit.parse("2/s")).build()) {
            for (int i = 0; i < 3; i++) {
                limited.submit(TaskRequest.of(LimitTasks::free, i));
            }
            limited.submit(TaskRequest.of(LimitTasks::free, 9).queue("other"));
            assertEquals(1, claim(10).size());
            clock.advance(Duration.ofMillis(500));
            assertEquals(1, claim(10).size());
            clock.advance(Duration.ofMillis(500));
            assertEquals(1, claim(10).size());
            assertEquals(0, claim(10).size());
        }
    }

    @Test
    void aRateChangedAtRunTimeAppliesToQueuedTasksAndClearGoesBack() {
        for (int i = 0; i < 6; i++) {
            taskq.submit(TaskRequest.of(LimitTasks::slow, "x" + i));
        }
        taskq.limits().setRate(Limits.task("lim.slow"), RateLimit.parse("3/s").withBurst(3));
        assertEquals(Map.of(Limits.task("lim.slow"), new LimitStore.Setting(RateLimit.parse("3/s").withBurst(3), 0)),
                taskq.limits().overrides());
        assertEquals(3, claim(3).size(), "a burst of 3 at the changed rate");
        taskq.limits().clear(Limits.task("lim.slow"));
        assertEquals(Map.of(), taskq.limits().overrides());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, claim(10).size(), "1/s again");
        clock.advance(Duration.ofMillis(999));
        assertEquals(0, claim(10).size());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, claim(10).size());
        assertThrows(IllegalArgumentException.class, () -> taskq.limits().setRate("lim.slow", RateLimit.parse("1/s")));
    }

    @Test
    void aConcurrencyLimitHoldsUntilARunningTaskFinishes() {
        for (int i = 0; i < 4; i++) {
            taskq.submit(TaskRequest.of(LimitTasks::pair, i));
        }
        List<Delivery> first = claim(10);
        assertEquals(2, first.size());
        assertEquals(0, claim(10).size());
        done(first.get(0));
        clock.advance(Duration.ofSeconds(1));
        List<Delivery> next = claim(10);
        assertEquals(1, next.size(), "one slot came free");
        assertEquals(0, claim(10).size());
        taskq.limits().setConcurrency(Limits.task("lim.pair"), 3);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, claim(10).size(), "three at once after the change");
    }

    @Test
    void aDeadWorkersSlotsComeBackWhenItsLeaseExpires() {
        for (int i = 0; i < 4; i++) {
            taskq.submit(TaskRequest.of(LimitTasks::pair, i));
        }
        assertEquals(2, claim(10, Duration.ofSeconds(5)).size());
        clock.advance(Duration.ofSeconds(4));
        assertEquals(0, claim(10).size());
        clock.advance(Duration.ofSeconds(2));
        List<Delivery> after = claim(10);
        assertEquals(2, after.size(), "the leases expired: two run again, never more");
        assertEquals(0, claim(10).size());
    }

    @Test
    void aWorkerRunsLimitedTasksAsTheLimitAllows() {
        clock.advance(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            taskq.submit(TaskRequest.of(LimitTasks::slow, "w" + i));
        }
        taskq.submit(TaskRequest.of(LimitTasks::free, 1));
        taskq.startWorker(quickWorker("lim").build());
        Await.until(WAIT, "the free task and one limited", () -> tasks.count("free") == 1
                && tasks.count("slow") == 1);
        clock.advance(Duration.ofSeconds(1));
        Await.until(WAIT, "the second limited", () -> tasks.count("slow") >= 2);
        clock.advance(Duration.ofSeconds(1));
        Await.until(WAIT, "the third limited", () -> tasks.count("slow") == 3);
    }

    @Test
    void aChainStepOrACallbackOfARateLimitedTaskIsRateLimitedByTheKeyItsResultGives() {
        clock.advance(Duration.ZERO);
        taskq.submit(Chain.of(TaskRequest.of(LimitTasks::source, "acme")).then(Signature.of(LimitTasks::step, 1)));
        taskq.submit(Chain.of(TaskRequest.of(LimitTasks::source, "acme")).then(Signature.of(LimitTasks::step, 2)));
        taskq.submit(TaskRequest.of(LimitTasks::source, "acme").link(Signature.of(LimitTasks::step, 3)));
        taskq.submit(TaskRequest.of(LimitTasks::source, "globex").link(Signature.of(LimitTasks::step, 4)));
        taskq.startWorker(quickWorker("lim").build());
        Await.until(WAIT, "one step per tenant, two of acme's waiting", () -> tasks.count("source") == 4
                && tasks.count("step-acme") == 1 && tasks.count("step-globex") == 1
                && broker.queueAdmin().orElseThrow().stats("lim").delayed() == 2);
        clock.advance(Duration.ofSeconds(1));
        Await.until(WAIT, "acme's second step", () -> tasks.count("step-acme") >= 2);
        assertEquals(1, broker.queueAdmin().orElseThrow().stats("lim").delayed(), "acme's third waits");
        clock.advance(Duration.ofSeconds(1));
        Await.until(WAIT, "acme's third step", () -> tasks.count("step-acme") == 3);
        assertEquals(1, tasks.count("step-globex"));
    }

    @Test
    void aMalformedLimitsHeaderDeadLettersTheTaskWithTheReason() {
        List<String> specs = List.of("r|task:x||0|1000|1", "r|task:x|k|ten|1000|1", "c|task:x||0", "z|what",
                "r|task:x||1|1000");
        for (int i = 0; i < specs.size(); i++) {
            String body = "{\"v\":1,\"headers\":{\"limits\":\"" + specs.get(i) + "\"},\"id\":\"bad-" + i
                    + "\",\"task\":\"lim.free\",\"args\":[1]}";
            assertEquals(List.of(true), broker.enqueue(List.of(new TaskMessage("bad-" + i, "lim", "lim.free", 0, null,
                    body))));
        }
        String good = taskq.submit(TaskRequest.of(LimitTasks::free, 1)).id();
        assertEquals(List.of(good), ids(claim(10)), "the malformed ones are not claimed, the one behind them is");
        for (int i = 0; i < specs.size(); i++) {
            DeadLetter d = broker.queueAdmin().orElseThrow().deadLetter("lim", "bad-" + i).orElseThrow();
            assertTrue(d.reason().startsWith("malformed limits header \"" + specs.get(i) + "\""), d.reason());
            assertEquals(TaskState.FAILURE, taskq.handle("lim", "bad-" + i).state());
        }
    }

    private TaskHandle<Void> unique(String customer, Uniqueness u) {
        return taskq.submit(TaskRequest.of(LimitTasks::free, customer.length()).uniqueKey("report:" + customer)
                .unique(u));
    }

    @Test
    void aUniqueTaskUntilFinishedAnswersADuplicateWithTheExistingHandle() {
        TaskHandle<Void> first = taskq.submit(TaskRequest.of(LimitTasks::report, "acme", 1));
        TaskHandle<Void> dup = taskq.submit(TaskRequest.of(LimitTasks::report, "acme", 2));
        assertTrue(first.created());
        assertEquals(first.id(), dup.id(), "the key is the name and the first argument");
        assertTrue(!dup.created());
        assertTrue(taskq.submit(TaskRequest.of(LimitTasks::report, "globex", 1)).created());
        assertThrows(io.taskq.DuplicateTaskException.class,
                () -> taskq.submit(TaskRequest.of(LimitTasks::report, "acme", 3).failIfDuplicate()));
        List<Delivery> running = claim(10);
        assertEquals(2, running.size());
        assertEquals(first.id(), taskq.submit(TaskRequest.of(LimitTasks::report, "acme", 4)).id(), "still running");
        done(running.stream().filter(d -> d.id().equals(first.id())).findFirst().orElseThrow());
        TaskHandle<Void> next = taskq.submit(TaskRequest.of(LimitTasks::report, "acme", 5));
        assertTrue(next.created(), "finished: the key is free");
        assertTrue(!next.id().equals(first.id()));
    }

    @Test
    void whileQueuedTheKeyIsFreeOnceAWorkerTakesTheTask() {
        TaskHandle<Void> first = unique("acme", Uniqueness.whileQueued());
        assertEquals(first.id(), unique("acme", Uniqueness.whileQueued()).id());
        assertEquals(1, claim(10).size());
        TaskHandle<Void> second = unique("acme", Uniqueness.whileQueued());
        assertTrue(second.created());
        assertTrue(!second.id().equals(first.id()));
    }

    @Test
    void untilStartedAHeldTaskKeepsItsKeyAndAStartedOneFreesIt() throws Exception {
        TaskHandle<Void> first = unique("acme", Uniqueness.untilStarted());
        List<Delivery> held = broker.claim(new ClaimRequest("c-1", List.of("lim"), 1, LEASE, Duration.ZERO, 0));
        assertEquals(1, held.size(), "claimed, held, not started");
        assertEquals(first.id(), unique("acme", Uniqueness.untilStarted()).id());
        broker.markStarted(held, clock.instant());
        assertTrue(unique("acme", Uniqueness.untilStarted()).created());
    }

    @Test
    void aWindowHoldsTheKeyForItsTimeWhateverTheTaskDoes() {
        TaskHandle<Void> first = unique("acme", Uniqueness.forWindow(Duration.ofMinutes(1)));
        done(claim(10).get(0));
        assertEquals(first.id(), unique("acme", Uniqueness.forWindow(Duration.ofMinutes(1))).id(), "finished, in"
                + " the window");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(unique("acme", Uniqueness.forWindow(Duration.ofMinutes(1))).created());
    }

    @Test
    void aUniqueTaskWithACountdownHoldsItsKeyWhileDelayed() {
        TaskHandle<Void> first = taskq.submit(TaskRequest.of(LimitTasks::free, 1).uniqueKey("nightly")
                .countdown(Duration.ofMinutes(5)));
        TaskHandle<Void> dup = taskq.submit(TaskRequest.of(LimitTasks::free, 2).uniqueKey("nightly")
                .eta(clock.instant().plus(Duration.ofMinutes(1))));
        assertEquals(first.id(), dup.id());
        assertEquals(List.of(), claim(10));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of(first.id()), ids(claim(10)));
    }

    @Test
    void badDeclarationsAreRefusedAtRegistration() {
        assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("0/s"));
        assertThrows(IllegalArgumentException.class, () -> TaskRequest.of(LimitTasks::free, 1).header("limits", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Taskq.builder().tasks(new BadKey()).build());
        assertTrue(e.getMessage().contains("limitKey"), e.getMessage());
    }

    /** A task whose key names an argument it does not have. */
    public static class BadKey {
        @io.taskq.Task(name = "lim.bad", rateLimit = "1/s", limitKey = "arg:3")
        public void bad(String a) {
        }
    }
}
