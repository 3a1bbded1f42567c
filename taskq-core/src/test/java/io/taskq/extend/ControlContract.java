package io.taskq.extend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.Control;
import io.taskq.TaskEvent;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerInfo;
import io.taskq.WorkerOptions;
import io.taskq.WorkerTask;
import io.taskq.contract.Await;
import io.taskq.spi.Broker;
import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import io.taskq.spi.RevokeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote control ({@link Taskq#control()}): commands reach the workers of every taskq sharing the broker's namespace
 * and their replies come back by worker id, sooner than the timeout once every destination replied. Run against each
 * broker.
 */
public abstract class ControlContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Long enough for a loaded machine; calls to named destinations return as soon as they replied. */
    private static final Duration REPLIES = Duration.ofSeconds(10);

    private final ExtensionTasks tasks = new ExtensionTasks();
    private final Recorder recorder = new Recorder();
    private final List<Taskq> opened = new ArrayList<>();

    /** A new broker on a namespace of its own. */
    protected abstract Broker newBroker();

    /** Another client of {@code first}'s namespace, as another process would have (it may be {@code first}). */
    protected abstract Broker sameNamespace(Broker first);

    /**
     * Puts commands the workers cannot act on onto {@code broker}'s control bus, as a faulty or hostile writer
     * would: the listeners must skip them and go on.
     */
    protected abstract void writeMalformedCommands(Broker broker);

    @AfterEach
    void closeAll() {
        tasks.gate.release(1000);
        tasks.release.countDown();
        for (Taskq t : opened) {
            t.close();
        }
    }

    private Taskq taskq(Broker broker, int argsRepr) {
        Taskq t = Taskq.builder().broker(broker).closeBrokerOnClose(true).tasks(tasks).listener(recorder)
                .argsRepr(argsRepr).build();
        opened.add(t);
        return t;
    }

    private static WorkerOptions.Builder options(String id, String... queues) {
        return WorkerOptions.builder().workerId(id).nodeName("node-" + id).queues(queues).concurrency(2)
                .claimWait(Duration.ofMillis(100)).lease(Duration.ofSeconds(5))
                .leaseRenewInterval(Duration.ofMillis(200)).shutdownGrace(Duration.ofSeconds(2));
    }

    private static void awaitListed(Taskq t, String... ids) {
        Await.until(WAIT, "workers listed: " + List.of(ids), () -> t.workers().stream().map(WorkerInfo::id)
                .toList().containsAll(List.of(ids)));
    }

    @Test
    void pingReachesEveryWorkerOrTheNamedOnes() {
        Taskq t = taskq(newBroker(), 0);
        t.startWorker(options("w1", "pa").build());
        t.startWorker(options("w2", "pa").build());
        awaitListed(t, "w1", "w2");
        Map<String, Control.Reply<String>> all = t.control().timeout(REPLIES).ping();
        assertEquals(List.of("w1", "w2"), List.copyOf(all.keySet()));
        assertEquals("pong", all.get("w1").value());
        assertEquals("node-w2", all.get("w2").nodeName());
        assertTrue(all.get("w2").ok());

        assertEquals(Set.of("w1"), t.control().destination("w1").timeout(REPLIES).ping().keySet(), "by id");
        assertEquals(Set.of("w2"), t.control().destination("node-w2").timeout(REPLIES).ping().keySet(),
                "by node name");
    }

    @Test
    void activeAndReservedListTheRunningAndTheHeldTasks() {
        Taskq t = taskq(newBroker(), 12);
        t.startWorker(options("w1", "pa").concurrency(1).prefetch(1).build());
        TaskHandle<String> running = t.submit(TaskRequest.of(ExtensionTasks::gated, "first").queue("pa"));
        Await.until(WAIT, "one running", () -> tasks.gatedRunning.get() == 1);
        TaskHandle<String> held = t.submit(TaskRequest.of(ExtensionTasks::gated, "second-and-long").queue("pa"));
        Control w1 = t.control().destination("w1").timeout(REPLIES);

        List<WorkerTask> reserved = Await.value(WAIT, "the second held", () -> {
            List<WorkerTask> r = w1.reserved().get("w1").value();
            return r.isEmpty() ? null : r;
        });
        WorkerTask h = reserved.get(0);
        assertEquals(held.id(), h.id());
        assertEquals("x.gated", h.name());
        assertNull(h.startedAt(), "not started");
        assertNull(h.runtime());
        assertEquals("[\"second-...", h.args(), "cut to 12 characters with the ellipsis");

        List<WorkerTask> active = w1.active().get("w1").value();
        assertEquals(1, active.size());
        WorkerTask a = active.get(0);
        assertEquals(running.id(), a.id());
        assertEquals("x.gated", a.name());
        assertEquals("pa", a.queue());
        assertEquals(1, a.attempt());
        assertNotNull(a.startedAt());
        assertFalse(a.runtime().isNegative());
        assertEquals("[\"first\"]", a.args());
        Instant later = Await.value(WAIT, "the runtime grows", () -> {
            WorkerTask again = w1.active().get("w1").value().get(0);
            return again.runtime().compareTo(a.runtime()) > 0 ? again.startedAt() : null;
        });
        assertEquals(a.startedAt(), later, "the same start");

        List<TaskEvent> started = recorder.of(running.id()).stream()
                .filter(e -> e.kind() == TaskEvent.Kind.STARTED || e.kind() == TaskEvent.Kind.SENT).toList();
        assertEquals(2, started.size());
        assertTrue(started.stream().allMatch(e -> "[\"first\"]".equals(e.args())), "args in SENT and STARTED");

        tasks.gate.release(2);
        assertEquals("first", running.get(WAIT));
        assertEquals("second-and-long", held.get(WAIT));
        Await.until(WAIT, "nothing listed", () -> w1.active().get("w1").value().isEmpty()
                && w1.reserved().get("w1").value().isEmpty());
    }

    @Test
    void argumentsAreNotShownByDefault() {
        Taskq t = taskq(newBroker(), 0);
        t.startWorker(options("w1", "pa").build());
        TaskHandle<String> h = t.submit(TaskRequest.of(ExtensionTasks::gated, "secret").queue("pa"));
        Await.until(WAIT, "running", () -> tasks.gatedRunning.get() == 1);
        WorkerTask a = t.control().destination("w1").timeout(REPLIES).active().get("w1").value().get(0);
        assertEquals(h.id(), a.id());
        assertNull(a.args());
        assertTrue(recorder.of(h.id()).stream().allMatch(e -> e.args() == null));
    }

    @Test
    void registeredAndStatsDescribeEachWorker() {
        Taskq t = taskq(newBroker(), 0);
        t.startWorker(options("w1", "pa", "pb").concurrency(3).build());
        Control w1 = t.control().destination("w1").timeout(REPLIES);
        List<String> names = w1.registered().get("w1").value();
        assertTrue(names.containsAll(List.of("x.gated", "x.ok")), names.toString());
        assertEquals(names.stream().sorted().toList(), names, "sorted");

        WorkerInfo info = w1.stats().get("w1").value();
        assertEquals("w1", info.id());
        assertEquals("node-w1", info.nodeName());
        assertEquals(List.of("pa", "pb"), info.queues());
        assertEquals(3, info.concurrency());
        assertTrue(info.healthy());
    }

    @Test
    void pausingOneWorkerLeavesTheQueueToTheOthers() {
        Taskq t = taskq(newBroker(), 0);
        Worker w1 = t.startWorker(options("w1", "pa").build());
        t.startWorker(options("w2", "pa").build());
        Control toW1 = t.control().destination("w1").timeout(REPLIES);
        assertEquals(true, toW1.pause("pa").get("w1").value());
        assertEquals(false, toW1.pause("pa").get("w1").value(), "paused already");
        assertEquals(Set.of("pa"), w1.pausedQueues());
        Control.Reply<Boolean> notConsumed = toW1.pause("other").get("w1");
        assertFalse(notConsumed.ok());
        assertTrue(notConsumed.error().contains("other"), notConsumed.error());

        List<TaskHandle<String>> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(t.submit(TaskRequest.of(ExtensionTasks::ok, "t" + i).queue("pa")));
        }
        for (TaskHandle<String> h : sent) {
            h.get(WAIT);
            assertEquals("w2", recorder.of(h.id()).stream().filter(e -> e.kind() == TaskEvent.Kind.STARTED)
                    .findFirst().orElseThrow().workerId());
        }
        assertEquals(true, toW1.resume("pa").get("w1").value());
        assertEquals(Set.of(), w1.pausedQueues());
    }

    @Test
    void theConcurrencyChangesRemotely() {
        Taskq t = taskq(newBroker(), 0);
        Worker w1 = t.startWorker(options("w1", "pa").build());
        Worker w2 = t.startWorker(options("w2", "pa").build());
        Map<String, Control.Reply<Integer>> r = t.control().destination("w1").timeout(REPLIES).setConcurrency(5);
        assertEquals(2, r.get("w1").value(), "the concurrency before");
        assertEquals(5, w1.concurrency());
        assertEquals(2, w2.concurrency(), "not a destination");
    }

    @Test
    void shutdownClosesOnlyTheTarget() {
        Taskq t = taskq(newBroker(), 0);
        Worker w1 = t.startWorker(options("w1", "pa").build());
        Worker w2 = t.startWorker(options("w2", "pa").build());
        awaitListed(t, "w1", "w2");
        assertEquals(true, t.control().destination("w1").timeout(REPLIES).shutdown().get("w1").value());
        Await.until(WAIT, "w1 gone from the registry", () -> t.workers().stream().noneMatch(i -> i.id().equals("w1")));
        assertFalse(w1.isHealthy());
        assertTrue(w2.isHealthy());
        assertEquals("ok still", t.submit(TaskRequest.of(ExtensionTasks::ok, "still").queue("pa")).get(WAIT));
        assertEquals(Set.of("w2"), t.control().timeout(REPLIES).ping().keySet(), "w1 answers no more");
    }

    @Test
    void revokeGoesThroughTheBroker() {
        Taskq t = taskq(newBroker(), 0);
        TaskHandle<String> later = t.submit(TaskRequest.of(ExtensionTasks::ok, "later").queue("pa")
                .countdown(Duration.ofMinutes(5)));
        RevokeResult r = t.control().revoke(later.id());
        assertTrue(r.found(), r.toString());
        assertEquals(TaskState.REVOKED, later.state());
        assertFalse(t.control().revoke("no-such-task").found());
    }

    @Test
    void aDestinationThatDoesNotExistGetsNoReplyWithinTheTimeout() {
        Taskq t = taskq(newBroker(), 0);
        t.startWorker(options("w1", "pa").build());
        Map<String, Control.Reply<String>> none = assertTimeoutPreemptively(WAIT,
                () -> t.control().destination("nobody").timeout(Duration.ofMillis(300)).ping());
        assertTrue(none.isEmpty(), none.toString());
    }

    @Test
    void anUnknownCommandGetsAnErrorReplyAndTheWorkerGoesOn() throws Exception {
        Broker broker = newBroker();
        Taskq t = taskq(broker, 0);
        t.startWorker(options("w1", "pa").build());
        ControlBus bus = broker.controlBus().orElseThrow();
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        bus.send(new ControlCommand(id, "from-a-newer-version", List.of("w1"), "{\"x\":1}", now,
                now.plusSeconds(30)));
        String reply = bus.awaitReply(id, REPLIES);
        assertNotNull(reply, "an answer");
        JsonNode r = new ObjectMapper().readTree(reply).get(0);
        assertEquals("w1", r.get("worker").asText());
        assertTrue(r.get("error").asText().contains("unknown command 'from-a-newer-version'"), reply);
        assertEquals("pong", t.control().destination("w1").timeout(REPLIES).ping().get("w1").value());
    }

    @Test
    void malformedAndExpiredCommandsAreSkipped() throws Exception {
        Broker broker = newBroker();
        Taskq t = taskq(broker, 0);
        Worker w1 = t.startWorker(options("w1", "pa").build());
        writeMalformedCommands(broker);
        ControlBus bus = broker.controlBus().orElseThrow();
        String expired = UUID.randomUUID().toString();
        Instant past = Instant.now().minusSeconds(60);
        bus.send(new ControlCommand(expired, "pause", List.of(), "{\"queue\":\"pa\"}", past, past.plusSeconds(1)));
        assertEquals("pong", t.control().destination("w1").timeout(REPLIES).ping().get("w1").value(),
                "the listener went on");
        assertNull(bus.awaitReply(expired, Duration.ofMillis(200)), "an expired command is not answered");
        assertEquals(Set.of(), w1.pausedQueues(), "nor carried out");
    }

    @Test
    void anotherProcessControlsTheWorkersOfThisOne() {
        Broker first = newBroker();
        Taskq here = taskq(first, 0);
        Taskq there = taskq(sameNamespace(first), 0);
        here.startWorker(options("here", "pa").build());
        Worker far = there.startWorker(options("there", "pa").build());
        awaitListed(here, "here", "there");
        assertEquals(Set.of("here", "there"), here.control().timeout(REPLIES).ping().keySet());
        assertEquals(true, here.control().destination("node-there").timeout(REPLIES).pause("pa").get("there")
                .value());
        assertEquals(Set.of("pa"), far.pausedQueues());
        Map<String, Control.Reply<WorkerInfo>> stats = there.control().timeout(REPLIES).stats();
        assertEquals(Set.of("pa"), stats.get("there").value().pausedQueues());
        assertEquals(Set.of(), stats.get("here").value().pausedQueues());
    }
}
