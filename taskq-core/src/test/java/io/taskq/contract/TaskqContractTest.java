package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.DeadLetter;
import io.taskq.DuplicateTaskException;
import io.taskq.ResultTimeoutException;
import io.taskq.TaskContext;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskProgress;
import io.taskq.TaskRequest;
import io.taskq.TaskRevokedException;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end contract: tasks submitted through {@link Taskq} and run by a worker on the broker under test.
 * Every broker module extends this class.
 */
public abstract class TaskqContractTest extends TaskqFixture<ContractTasks> {

    @Override
    protected ContractTasks newTasks() {
        return new ContractTasks();
    }

    @Override
    protected void release(ContractTasks t) {
        t.release.countDown();
    }

    protected WorkerOptions.Builder options() {
        return quickWorker("default", "other");
    }

    protected Worker worker() {
        return taskq.startWorker(options().build());
    }

    @Test
    void typeSafeSubmitReturnsTheTypedResult() {
        worker();
        TaskHandle<Integer> h = taskq.submit(ContractTasks::add, 2, 3);
        assertEquals(5, h.get(WAIT));
        assertEquals(TaskState.SUCCESS, h.state());
        assertEquals("default", h.queue());
    }

    @Test
    void recordsCollectionsAndJavaTimeRoundTrip() {
        worker();
        ContractTasks.Order order = new ContractTasks.Order("o-1",
                List.of(new ContractTasks.Line("a", 2), new ContractTasks.Line("b", 5)), LocalDate.of(2024, 2, 29));
        Map<String, Integer> total = taskq.submit(ContractTasks::total, order).get(WAIT);
        assertEquals(Map.of("o-1", 7), total);
        assertEquals(order, taskq.submit(ContractTasks::echoOrder, order).get(WAIT));
    }

    @Test
    void beansGenericListsAndDurationsRoundTrip() {
        worker();
        ContractTasks.Customer c = new ContractTasks.Customer();
        c.setName("ada");
        c.setSince(java.time.Instant.parse("2020-01-02T03:04:05Z"));
        List<String> out = taskq.submit(ContractTasks::greet, List.of(c), Duration.ofMinutes(5)).get(WAIT);
        assertEquals(List.of("ada@2020-01-02T03:04:05Z/PT5M"), out);
    }

    @Test
    void submitByNameAndVoidTasks() {
        worker();
        assertEquals(9, taskq.submit("t.add", 4, 5).get(WAIT));
        assertEquals(9, taskq.submit(TaskRequest.named("t.add", Integer.class, 4, 5)).get(WAIT));
        assertNull(taskq.submit(ContractTasks::noop).get(WAIT));
        assertEquals(1, tasks.count("noop"));
    }

    @Test
    void futureCompletesWithTheResult() throws Exception {
        worker();
        assertEquals(7, taskq.submit(ContractTasks::add, 3, 4).future().get(20, TimeUnit.SECONDS));
    }

    @Test
    void failedAttemptsAreRetriedWithBackoffAndCountedByTheBroker() {
        worker();
        TaskHandle<String> h = taskq.submit(ContractTasks::flaky, 2);
        assertEquals("ok after 3", h.get(WAIT));
        assertEquals(3, tasks.count("flaky"));
        assertEquals(2, h.info().retries());
        assertEquals(3, h.info().attempt());
    }

    @Test
    void exhaustedRetriesEndInFailureAndTheDeadLetterSet() {
        worker();
        TaskHandle<String> h = taskq.submit(ContractTasks::alwaysFails);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("java.lang.IllegalStateException", e.error().type());
        assertEquals("boom", e.error().message());
        assertTrue(e.error().stackTrace().contains("ContractTasks.alwaysFails"), e.error().stackTrace());
        assertEquals(3, tasks.count("alwaysFails"), "first attempt and two retries");
        assertEquals(TaskState.FAILURE, h.state());
        List<DeadLetter> dead = taskq.deadLetters("default", 10);
        assertEquals(1, dead.size());
        assertEquals(h.id(), dead.get(0).id());
        assertTrue(dead.get(0).reason().contains("max retries"), dead.get(0).reason());
    }

    @Test
    void aDeadLetterCanBeResubmitted() {
        worker();
        TaskHandle<String> h = taskq.submit(ContractTasks::notRetryable);
        assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertTrue(taskq.resubmitDeadLetter("default", h.id()));
        Await.until(WAIT, "second run", () -> tasks.count("notRetryable") == 2);
        Await.until(WAIT, "dead again", () -> taskq.deadLetters("default", 10).size() == 1);
    }

    @Test
    void exceptionsThatNeverRetryFailAtOnce() {
        worker();
        assertThrows(TaskFailedException.class, () -> taskq.submit(ContractTasks::notRetryable).get(WAIT));
        assertEquals(1, tasks.count("notRetryable"));
        assertThrows(TaskFailedException.class, () -> taskq.submit(ContractTasks::onlyIo).get(WAIT));
        assertEquals(1, tasks.count("onlyIo"), "retryOn does not match");
    }

    @Test
    void aTaskCanAskForARetry() {
        worker();
        assertEquals("done on 3", taskq.submit(ContractTasks::selfRetry).get(WAIT));
    }

    @Test
    void timeLimitInterruptsTheTaskAndFailsTheAttempt() {
        worker();
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> taskq.submit(ContractTasks::sleepy).get(WAIT));
        assertEquals("io.taskq.TaskTimeLimitExceededException", e.error().type());
        assertEquals(1, tasks.interrupted.get());
    }

    @Test
    void aSoftTimeLimitInterruptsOnceAndLetsTheTaskCleanUpAndReturn() {
        worker();
        assertEquals("cleaned up", taskq.submit(ContractTasks::softClean).get(WAIT));
        assertEquals(1, tasks.interrupted.get());
    }

    @Test
    void aSoftTimeLimitsInterruptLeftUncaughtFailsTheAttemptWithATimeLimitError() {
        worker();
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> taskq.submit(ContractTasks::softUncaught).get(WAIT));
        assertEquals("io.taskq.TaskTimeLimitExceededException", e.error().type());
        assertTrue(e.error().message().contains("soft time limit"), e.error().message());
    }

    @Test
    void theHardTimeLimitStillEndsATaskThatGoesOnAfterItsSoftLimit() {
        worker();
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> taskq.submit(ContractTasks::softIgnored).get(WAIT));
        assertEquals("io.taskq.TaskTimeLimitExceededException", e.error().type());
        assertFalse(e.error().message().contains("soft"), e.error().message());
        assertEquals(1, tasks.interrupted.get(), "the soft limit interrupted it once");
    }

    @Test
    void aSoftTimeLimitGivenAtSubmitTravelsWithTheMessage() {
        worker();
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ContractTasks::block).softTimeLimit(Duration.ofMillis(200)));
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertTrue(e.error().message().contains("soft time limit of PT0.2S"), e.error().message());
        assertEquals(1, tasks.interrupted.get());
    }

    @Test
    void aRunningTaskReportsProgressThatItsHandleShowsUntilItFinishes() {
        worker();
        TaskHandle<String> h = taskq.submit(ContractTasks::progress, 3);
        TaskProgress p = Await.value(WAIT, "progress reported", () -> h.progress()
                .filter(x -> x.meta(Map.class).get("done").equals(3)).orElse(null));
        assertEquals("PROGRESS", p.state());
        assertEquals(Map.of("done", 3, "total", 3), p.meta(Map.class));
        assertEquals(TaskState.STARTED, h.state());
        assertEquals(p, taskq.lookup(List.of(h.id())).get(h.id()).progress(), "lookup shows it too");
        Await.until(WAIT, "taskq's own states refused", () -> tasks.order.stream()
                .anyMatch(o -> o.startsWith("refused: ") && o.contains("SUCCESS")));
        tasks.gateOf("progress").countDown();
        assertEquals("done 3", h.get(WAIT));
        assertTrue(h.progress().isEmpty(), "the final state replaces the progress");
        assertThrows(IllegalStateException.class, () -> new TaskContext("x", "t", "q", 1, 0, "x", Map.of())
                .updateState("PROGRESS", 1), "only on the task's own thread");
    }

    @Test
    void aTaskIgnoringTheInterruptIsAbandonedAndItsSlotReused() {
        Worker w = taskq.startWorker(options().concurrency(1).build());
        TaskHandle<String> stuck = taskq.submit(ContractTasks::stubborn);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> stuck.get(WAIT));
        assertEquals("io.taskq.TaskTimeLimitExceededException", e.error().type());
        assertEquals(1, w.abandonedCount());
        // The only slot was taken by the runaway task, yet new work still runs.
        assertEquals(3, taskq.submit(ContractTasks::add, 1, 2).get(WAIT));
        tasks.release.countDown();
        Await.until(WAIT, "abandoned thread ends", () -> w.abandonedCount() == 0);
        assertEquals(TaskState.FAILURE, stuck.state(), "the late return is discarded");
    }

    @Test
    void tooManyAbandonedThreadsStopClaimingAndReportUnhealthy() {
        Worker w = taskq.startWorker(options().concurrency(1).maxAbandoned(0).build());
        TaskHandle<String> stuck = taskq.submit(ContractTasks::stubborn);
        assertThrows(TaskFailedException.class, () -> stuck.get(WAIT));
        Await.until(WAIT, "unhealthy", () -> !w.isHealthy());
        TaskHandle<Integer> next = taskq.submit(ContractTasks::add, 1, 1);
        assertThrows(ResultTimeoutException.class, () -> next.get(Duration.ofMillis(700)));
        tasks.release.countDown();
        assertEquals(2, next.get(WAIT));
        Await.until(WAIT, "healthy again", w::isHealthy);
    }

    @Test
    void anExpiredTaskIsRevokedWithoutRunning() {
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ContractTasks::record, "late")
                .expiresIn(Duration.ofSeconds(30)));
        clock.advance(Duration.ofMinutes(1));
        worker();
        TaskRevokedException e = assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        assertEquals("expired", e.reason());
        assertEquals(0, tasks.count("record"));
    }

    @Test
    void countdownDelaysTheTask() {
        worker();
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ContractTasks::record, "later")
                .countdown(Duration.ofHours(1)));
        assertThrows(ResultTimeoutException.class, () -> h.get(Duration.ofMillis(500)));
        assertEquals(TaskState.PENDING, h.state());
        clock.advance(Duration.ofHours(1));
        assertEquals("later", h.get(WAIT));
    }

    @Test
    void revokingAQueuedTaskPreventsIt() {
        TaskHandle<String> h = taskq.submit(ContractTasks::record, "never");
        assertTrue(h.revoke());
        worker();
        assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        assertEquals(0, tasks.count("record"));
    }

    @Test
    void revokingARunningTaskInterruptsIt() {
        taskq.startWorker(options().lease(Duration.ofSeconds(3)).leaseRenewInterval(Duration.ofMillis(100)).build());
        TaskHandle<String> h = taskq.submit(ContractTasks::block);
        Await.until(WAIT, "running", () -> tasks.running.get() == 1);
        assertTrue(h.revoke());
        assertThrows(TaskRevokedException.class, () -> h.get(WAIT));
        assertEquals(1, tasks.interrupted.get());
    }

    @Test
    void aHandleFromTheIdAloneFindsTheQueue() {
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ContractTasks::record, "found").queue("other")
                .countdown(Duration.ofMinutes(1)));
        Taskq elsewhere = Taskq.builder().broker(broker).clock(clock).build(); // another process: knows no queue
        TaskHandle<String> byId = elsewhere.handle(h.id(), String.class);
        assertEquals(TaskState.PENDING, byId.state(), "a delayed task waits");
        assertEquals("other", byId.queue());
        assertEquals(TaskState.UNKNOWN, elsewhere.handle("default", h.id()).state(), "the wrong queue says so");
        assertEquals(TaskState.UNKNOWN, elsewhere.handle("no-such-id").state());
        assertNull(elsewhere.handle("no-such-id").queue());
        worker();
        clock.advance(Duration.ofMinutes(1));
        assertEquals("found", byId.get(WAIT));
        assertEquals(TaskState.SUCCESS, elsewhere.handle(h.id()).info().state());
        assertEquals("t.record", elsewhere.handle(h.id()).info().task());
    }

    @Test
    void aWaitForAnIdNotSubmittedYetEndsWhenItIsSubmitted() throws Exception {
        java.util.concurrent.CompletableFuture<Integer> f = taskq.handle("comes-later", Integer.class).future();
        assertEquals(TaskState.UNKNOWN, taskq.handle("comes-later").state());
        worker();
        taskq.submit(TaskRequest.of(ContractTasks::add, 2, 2).id("comes-later").queue("other"));
        assertEquals(4, f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aTaskWhoseRecordExpiredIsUnknown() {
        worker();
        TaskHandle<Integer> h = taskq.submit(ContractTasks::add, 1, 1);
        assertEquals(2, h.get(WAIT));
        clock.advance(Duration.ofHours(25));
        assertEquals(TaskState.UNKNOWN, h.state());
        assertEquals(TaskState.UNKNOWN, taskq.handle(h.id()).state());
    }

    @Test
    void lookupAnswersForManyIdsAtOnce() {
        List<TaskHandle<?>> hs = taskq.submitAll(List.of(TaskRequest.of(ContractTasks::add, 1, 2),
                TaskRequest.of(ContractTasks::add, 3, 4).queue("other"),
                TaskRequest.of(ContractTasks::add, 5, 6).countdown(Duration.ofHours(1))));
        List<String> ids = new ArrayList<>(hs.stream().map(TaskHandle::id).toList());
        ids.add(1, "never-submitted");
        Map<String, io.taskq.TaskInfo> infos = taskq.lookup(ids);
        assertEquals(ids, List.copyOf(infos.keySet()), "every id, in the order asked");
        assertEquals(TaskState.PENDING, infos.get(hs.get(0).id()).state());
        assertEquals("default", infos.get(hs.get(0).id()).queue());
        assertEquals("other", infos.get(hs.get(1).id()).queue());
        assertEquals(TaskState.PENDING, infos.get(hs.get(2).id()).state());
        assertEquals(TaskState.UNKNOWN, infos.get("never-submitted").state());
        assertNull(infos.get("never-submitted").queue());
        worker();
        hs.get(0).get(WAIT);
        assertEquals(TaskState.SUCCESS, taskq.lookup(List.of(hs.get(0).id())).get(hs.get(0).id()).state());
    }

    @Test
    void aRevokeThroughTheWrongQueueSaysNotFoundAndOneByIdFindsTheQueue() {
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ContractTasks::record, "x").queue("other")
                .countdown(Duration.ofMinutes(1)));
        assertFalse(taskq.handle("default", h.id()).revoke(), "the wrong queue does not know the task");
        assertEquals(RevokeResult.NOT_FOUND, taskq.handle("default", h.id()).revoke("stop"));
        assertEquals(RevokeResult.NOT_FOUND, taskq.handle("nobody-knows").revoke("stop"));
        assertEquals(RevokeResult.REMOVED, taskq.handle(h.id()).revoke("stop"));
        assertEquals(TaskState.REVOKED, h.state());
        assertEquals(RevokeResult.ALREADY_FINISHED, taskq.handle(h.id()).revoke("again"));
    }

    @Test
    void aDuplicateExplicitIdIsReportedAndTheFirstTaskRuns() {
        TaskHandle<String> first = taskq.submit(TaskRequest.of(ContractTasks::record, "first").id("dup-1"));
        assertTrue(first.created());
        TaskHandle<String> second = taskq.submit(TaskRequest.of(ContractTasks::record, "second").id("dup-1"));
        assertFalse(second.created(), "same id, other arguments: not created");
        DuplicateTaskException e = assertThrows(DuplicateTaskException.class, () -> taskq.submit(
                TaskRequest.of(ContractTasks::add, 1, 2).id("dup-1").failIfDuplicate()));
        assertEquals("task id already known, not submitted again: default/dup-1", e.getMessage());
        assertEquals(List.of("dup-1"), e.ids());

        List<TaskHandle<?>> batch = taskq.submitAll(List.of(TaskRequest.of(ContractTasks::record, "new").id("dup-2"),
                TaskRequest.of(ContractTasks::record, "third").id("dup-1")));
        assertEquals(List.of(true, false), batch.stream().map(TaskHandle::created).toList());
        DuplicateTaskException all = assertThrows(DuplicateTaskException.class, () -> taskq.submitAll(List.of(
                TaskRequest.of(ContractTasks::record, "new").id("dup-3"),
                TaskRequest.of(ContractTasks::record, "fourth").id("dup-1").failIfDuplicate())));
        assertEquals(List.of("dup-1"), all.ids());
        assertEquals(List.of(true, false), all.handles().stream().map(TaskHandle::created).toList());

        worker();
        assertEquals("first", second.get(WAIT));
        assertEquals("new", batch.get(0).get(WAIT));
        taskq.handle("dup-3").get(WAIT);
        assertEquals(3, tasks.count("record"), "the duplicates did not run");
        assertFalse(tasks.order.contains("second"));
    }

    @Test
    void higherPriorityRunsFirst() {
        List<TaskHandle<?>> hs = new ArrayList<>();
        hs.add(taskq.submit(TaskRequest.of(ContractTasks::record, "low").priority(1)));
        hs.add(taskq.submit(TaskRequest.of(ContractTasks::record, "high").priority(9)));
        hs.add(taskq.submit(TaskRequest.of(ContractTasks::record, "mid").priority(5)));
        taskq.startWorker(options().concurrency(1).build());
        hs.forEach(h -> h.get(WAIT));
        assertEquals(List.of("high", "mid", "low"), new ArrayList<>(tasks.order));
    }

    @Test
    void tasksGoToTheirQueue() {
        taskq.startWorker(options().queues("default").build());
        TaskHandle<String> h = taskq.submit(ContractTasks::other, "x");
        assertEquals("other", h.queue());
        assertThrows(ResultTimeoutException.class, () -> h.get(Duration.ofMillis(500)));
        taskq.startWorker(options().queues("other").build());
        assertEquals("x", h.get(WAIT));
        TaskHandle<String> routed = taskq.submit(TaskRequest.of(ContractTasks::other, "y").queue("default"));
        assertEquals("y", routed.get(WAIT));
    }

    @Test
    void weightedQueuesServeEveryQueue() {
        int n = 200;
        List<TaskRequest<?>> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(TaskRequest.of(ContractTasks::record, "d" + i));
            batch.add(TaskRequest.of(ContractTasks::other, "o" + i));
        }
        taskq.submitAll(batch);
        taskq.startWorker(options().queues().queue("default", 3).queue("other", 1)
                .queueOrder(WorkerOptions.QueueOrder.WEIGHTED).concurrency(1).build());
        Await.until(WAIT, "all ran", () -> tasks.order.size() == 2 * n);
        // Strict order would run all "default" tasks first; weighted order (3:1) interleaves. One weighted draw
        // claims up to 1 + prefetch tasks of one queue (the prefetching variants hold up to 3, adaptive ones up to
        // 2), so the first n tasks take at least n / 3 draws: the chance that all pick "default" is 0.75^66,
        // about 6e-9.
        List<String> firstHalf = new ArrayList<>(tasks.order).subList(0, n);
        assertTrue(firstHalf.stream().anyMatch(s -> s.startsWith("other:")),
                "the lighter queue is not starved: " + firstHalf);
    }

    @Test
    void anExplicitIdIsIdempotent() {
        TaskHandle<String> a = taskq.submit(TaskRequest.of(ContractTasks::record, "once").id("fixed-id"));
        TaskHandle<String> b = taskq.submit(TaskRequest.of(ContractTasks::record, "once").id("fixed-id"));
        assertEquals(a.id(), b.id());
        worker();
        assertEquals("once", a.get(WAIT));
        taskq.submit(TaskRequest.of(ContractTasks::record, "once").id("fixed-id"));
        assertEquals(List.of("once"), new ArrayList<>(tasks.order));
        assertEquals(1, tasks.count("record"));
    }

    @Test
    void batchSubmit() {
        List<TaskRequest<?>> rs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rs.add(TaskRequest.of(ContractTasks::add, i, i));
        }
        List<TaskHandle<?>> hs = taskq.submitAll(rs);
        worker();
        for (int i = 0; i < 50; i++) {
            assertEquals(2 * i, hs.get(i).get(WAIT));
        }
    }

    @Test
    void theTaskSeesItsContextAndTheMdc() {
        worker();
        TaskHandle<String> h = taskq.submit(TaskRequest.of(ContractTasks::record, "ctx").header("tenant", "acme"));
        h.get(WAIT);
        TaskContext ctx = tasks.contexts.peek();
        assertEquals(h.id(), ctx.taskId());
        assertEquals("t.record", ctx.taskName());
        assertEquals(1, ctx.attempt());
        assertEquals("acme", ctx.headers().get("tenant"));
        assertEquals(h.id(), ctx.rootId());
        assertEquals(h.id(), tasks.mdcIds.peek());
    }

    @Test
    void anUnknownTaskFailsClearlyAndTheWorkerGoesOn() {
        Worker w = worker();
        TaskHandle<Object> h = taskq.submit("t.doesNotExist", 1);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("taskq.UnknownTask", e.error().type());
        assertTrue(e.error().message().contains("t.doesNotExist"));
        assertEquals(3, taskq.submit(ContractTasks::add, 1, 2).get(WAIT));
        assertTrue(w.isHealthy());
    }

    @Test
    void wrongArgumentsFailClearly() {
        worker();
        IllegalArgumentException local = assertThrows(IllegalArgumentException.class,
                () -> taskq.submit(TaskRequest.named("t.add", 1)));
        assertTrue(local.getMessage().contains("takes 2 argument(s)"), local.getMessage());
        // A producer that does not have the task class cannot check; the worker does.
        Taskq producer = Taskq.builder().broker(broker).clock(clock).build();
        TaskFailedException count = assertThrows(TaskFailedException.class,
                () -> producer.submit(TaskRequest.named("t.add", 1)).get(WAIT));
        assertEquals("taskq.BadArguments", count.error().type());
        assertTrue(count.error().message().contains("takes 2 argument(s)"), count.error().message());
        TaskFailedException type = assertThrows(TaskFailedException.class,
                () -> producer.submit(TaskRequest.named("t.add", "one", "two")).get(WAIT));
        assertEquals("taskq.BadArguments", type.error().type());
        assertTrue(type.error().message().contains("cannot be decoded"), type.error().message());
        assertEquals(0, tasks.count("add"));
        assertEquals(3, taskq.submit(ContractTasks::add, 1, 2).get(WAIT));
    }

    @Test
    void malformedMessagesAreDeadLetteredWithTheReasonAndNothingElseIsLost() {
        broker.enqueue(List.of(
                new TaskMessage("bad-json", "default", "t.add", 9, null, "{not json"),
                new TaskMessage("bad-version", "default", "t.add", 9, null, "{\"v\":99,\"headers\":{},\"body\":[]}"),
                new TaskMessage("bad-body", "default", "t.add", 9, null,
                        "{\"v\":1,\"headers\":{\"id\":\"bad-body\",\"task\":\"t.add\",\"queue\":\"default\"},"
                                + "\"body\":[[1,2],{}]}")));
        TaskHandle<Integer> good = taskq.submit(ContractTasks::add, 20, 22);
        worker();
        assertEquals(42, good.get(WAIT));
        Await.until(WAIT, "three dead letters", () -> taskq.deadLetters("default", 10).size() == 3);
        for (DeadLetter d : taskq.deadLetters("default", 10)) {
            assertTrue(d.reason().startsWith("taskq.MalformedMessage"), d.reason());
            assertEquals(TaskState.FAILURE, taskq.handle("default", d.id()).state());
        }
    }

    @Test
    void oversizedMessagesAreRefused() {
        String big = "x".repeat(2 << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> taskq.submit(ContractTasks::record, big));
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
        String body = "{\"v\":1,\"pad\":\"" + "y".repeat(4096) + "\"}";
        broker.enqueue(List.of(new TaskMessage("huge", "default", "t.record", 4, null, body)));
        taskq.startWorker(options().maxMessageBytes(2048).build());
        Await.until(WAIT, "dead letter", () -> !taskq.deadLetters("default", 1).isEmpty());
        assertTrue(taskq.deadLetters("default", 1).get(0).reason().startsWith("taskq.MessageTooLarge"));
    }

    @Test
    void gracefulShutdownFinishesShortTasksAndHandsBackLongOnes() throws Exception {
        Worker w = taskq.startWorker(options().shutdownGrace(Duration.ofMillis(300)).build());
        TaskHandle<String> quick = taskq.submit(ContractTasks::record, "quick");
        assertEquals("quick", quick.get(WAIT));
        TaskHandle<String> longOne = taskq.submit(ContractTasks::block);
        Await.until(WAIT, "running", () -> tasks.running.get() == 1);
        w.close();
        assertEquals(1, tasks.interrupted.get(), "the long task was interrupted after the grace period");
        assertEquals(0, w.activeCount());
        tasks.release.countDown();
        taskq.startWorker(options().build());
        assertEquals("released", longOne.get(WAIT));
        assertEquals(2, tasks.count("block"));
    }

    @Test
    void aTaskSubmittedFromATaskRecordsItsParent() throws ExecutionException, InterruptedException {
        ParentTasks parents = new ParentTasks();
        try (Taskq t2 = Taskq.builder().broker(broker).clock(clock).tasks(parents).build()) {
            parents.taskq = t2;
            t2.startWorker(options().build());
            TaskHandle<String> parent = t2.submit(ParentTasks::parent);
            String childId = parent.get(WAIT);
            TaskHandle<Object> child = t2.handle("default", childId);
            Await.until(WAIT, "child done", child::isDone);
            assertEquals(parent.id(), parents.childRoot);
        }
    }

    /** Tasks that submit tasks. */
    public static class ParentTasks {
        volatile Taskq taskq;
        volatile String childRoot;

        @io.taskq.Task(name = "p.parent")
        public String parent() {
            return taskq.submit(ParentTasks::child).id();
        }

        @io.taskq.Task(name = "p.child")
        public void child() {
            childRoot = TaskContext.current().orElseThrow().rootId();
        }
    }
}
