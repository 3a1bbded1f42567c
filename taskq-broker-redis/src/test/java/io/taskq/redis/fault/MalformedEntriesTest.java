package io.taskq.redis.fault;

import io.taskq.redis.BrokerInternals;
import io.taskq.redis.internal.ScriptLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.taskq.DeadLetter;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.internal.Envelope;
import io.taskq.internal.Json;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.TaskMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Messages and fields written into Redis by hand or by other clients, bypassing this client's checks: they end as
 * dead letters with a reason (or are refused), and nothing else is lost or run in their place.
 */
class MalformedEntriesTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void handWrittenGarbageIsDeadLetteredAndTheWorkerGoesOn() {
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix("mal").build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            String base = BrokerInternals.queueKeyBase(broker, "m");
            Map<String, String> bodies = Map.of(
                    "bad-json", "2814749767106561\nf.echo\n{not json",
                    "bad-version", "2814749767106562\nf.echo\n{\"v\":99,\"headers\":{},\"body\":[[],{},{}]}",
                    "no-headers", "2814749767106563\nf.echo\n{\"v\":1,\"body\":[[\"x\"],{},{}]}",
                    "no-task", "2814749767106564\nf.echo\n{\"v\":1,\"headers\":{\"id\":\"no-task\",\"queue\":\"m\"},"
                            + "\"body\":[[\"x\"],{},{}]}",
                    "no-layout", "just some bytes");
            server.with(r -> {
                long seq = 1;
                for (Map.Entry<String, String> e : bodies.entrySet()) {
                    r.hset(base + ":job", e.getKey(), e.getValue());
                    r.zadd(base + ":ready", 2814749767106560d + seq++, e.getKey());
                }
                r.zadd(base + ":marker", 0, "0");
            });
            taskq.startWorker(WorkerOptions.builder().queues("m").claimWait(Duration.ofMillis(300)).build());
            assertEquals("fine", taskq.submit(TaskRequest.of(FaultTasks::echo, "fine").queue("m"))
                    .get(Duration.ofSeconds(10)));
            Await.until(Duration.ofSeconds(10), "all garbage dead-lettered",
                    () -> broker.deadLetters("m", 10).size() == bodies.size());
            Map<String, String> reasons = broker.deadLetters("m", 10).stream()
                    .collect(Collectors.toMap(DeadLetter::id, DeadLetter::reason));
            assertTrue(reasons.get("bad-json").contains("not JSON"), reasons.toString());
            assertTrue(reasons.get("bad-version").contains("unsupported envelope version 99"), reasons.toString());
            assertTrue(reasons.get("no-headers").contains("missing 'headers'"), reasons.toString());
            assertTrue(reasons.get("no-task").contains("missing header 'task'"), reasons.toString());
            assertTrue(reasons.get("no-layout").contains("MalformedMessage"), reasons.toString());
            assertEquals(0, broker.stats("m").ready());
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static WorkerOptions worker() {
        return WorkerOptions.builder().queues("m").concurrency(4).claimWait(Duration.ofMillis(300)).build();
    }

    /** The envelope of f.add(40, 2), as a producer would encode it. */
    private static String addEnvelope(String id) {
        return new Envelope(id, "f.add", "m", 4, Json.mapper().createArrayNode().add(40).add(2), null, null, 0, null,
                null, null, false, "test", Map.of()).encode();
    }

    /** Submits f.echo("good-i") for i in [from, to). */
    private static void submitGood(Taskq taskq, int from, int to, List<TaskHandle<String>> into) {
        for (int i = from; i < to; i++) {
            into.add(taskq.submit(TaskRequest.of(FaultTasks::echo, "good-" + i).queue("m")));
        }
    }

    private static void awaitGood(List<TaskHandle<String>> good) {
        for (int i = 0; i < good.size(); i++) {
            assertEquals("good-" + i, good.get(i).get(WAIT));
        }
    }

    private static int addRuns() {
        AtomicInteger n = FaultTasks.RUNS.get("add");
        return n == null ? 0 : n.get();
    }

    /** Issue 13, 1: a task name with a line break framed another task's envelope in front of the real one. */
    @Test
    void aTaskNameCannotSmuggleInAnotherTasksEnvelope() {
        FaultTasks.RUNS.remove("add");
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            taskq.startWorker(worker());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> taskq.submit(
                    TaskRequest.named("f.echo\n" + addEnvelope("smuggled") + "\n", "harmless").queue("m")));
            assertTrue(e.getMessage().startsWith("task name has a control character (U+000A) at index 6"),
                    e.getMessage());
            assertEquals("fine", taskq.submit(TaskRequest.of(FaultTasks::echo, "fine").queue("m")).get(WAIT));
            assertEquals(0, addRuns(), "f.add never ran");
            assertThrows(IllegalArgumentException.class, () -> broker.enqueue(List.of(
                    new TaskMessage("x", "m", "f.echo\n" + addEnvelope("x") + "\n", 4, null, "{}"))));
        }
    }

    /** The same frame written into the job hash by another client: the envelope decoder refuses what follows. */
    @Test
    void aSecondEnvelopeAfterTheFirstIsRefusedNotIgnored() {
        FaultTasks.RUNS.remove("add");
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            String base = BrokerInternals.queueKeyBase(broker, "m");
            String echo = new Envelope("framed", "f.echo", "m", 4, Json.mapper().createArrayNode().add("harmless"),
                    null, null, 0, null, null, null, false, "test", Map.of()).encode();
            server.with(r -> {
                r.hset(base + ":job", "framed", "2814749767106561\nf.echo\n" + addEnvelope("framed") + "\n\n" + echo);
                r.zadd(base + ":ready", 2814749767106561d, "framed");
                r.zadd(base + ":marker", 0, "0");
            });
            taskq.startWorker(worker());
            Await.until(WAIT, "dead-lettered", () -> broker.deadLetter("m", "framed").isPresent());
            DeadLetter d = broker.deadLetter("m", "framed").orElseThrow();
            assertTrue(d.reason().contains("text after the JSON value"), d.reason());
            assertEquals(0, addRuns(), "f.add never ran");
        }
    }

    /** Other clients call the enqueue script directly: it checks every argument before it writes anything. */
    @Test
    void theEnqueueScriptRefusesWhatWouldBreakTheFrameOrTheLimit() throws IOException {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b.maxMessageBytes(4096))) {
            String prefix = broker.keyPrefix();
            String src = ScriptLoader.prelude() + "\nbegin()\n" + resource("enqueue");
            String[] keys = new io.taskq.redis.internal.Keys(prefix).queue("m");
            String base = BrokerInternals.queueKeyBase(broker, "m");
            List<String> common = List.of(Long.toString(System.currentTimeMillis()), Instant.now().toString(), "m",
                    "86400000", "5", "10000", "2592000000", "{" + prefix + "}:final", "4096");
            String big = "x".repeat(5000);
            List<List<String>> refused = List.of(
                    // a lone message: task, priority, eta, id, body
                    List.of("1", "f.echo\n" + addEnvelope("a") + "\n", "4", "", "a", "harmless"),
                    List.of("1", "f.echo\r", "4", "", "a", "{}"),
                    List.of("1", "", "4", "", "a", "{}"),
                    List.of("1", "f.echo", "x", "", "a", "{}"),
                    List.of("1", "f.echo", "4", "soon", "a", "{}"),
                    List.of("1", "f.echo", "4", "", "a", big),
                    // a run of two whose second body is too large: nothing of the run is stored
                    List.of("2", "2", "f.echo", "4", "", "a", "{}", "b", big),
                    // ready-made fields (reserved numbers): id, score, field
                    List.of("-1", "f.echo", "4", "", "a", "7", "7\nf.add\n{}"),
                    List.of("-1", "f.echo", "4", "", "a", "7", "7\nf.echo\n" + big),
                    List.of("-1", "f.echo", "4", "", "a", "7", "x7\nf.echo\n{}"));
            for (List<String> extra : refused) {
                List<String> args = new ArrayList<>(common);
                args.addAll(extra);
                RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                        () -> server.with(r -> r.eval(src, ScriptOutputType.MULTI, keys, args.toArray(new String[0]))),
                        extra.toString());
                assertTrue(e.getMessage().contains("refused"), e.getMessage());
            }
            server.with(r -> {
                assertEquals(0L, r.hlen(base + ":job"), "nothing stored");
                assertEquals(0L, r.zcard(base + ":ready"));
                assertEquals(null, r.get(base + ":seq"), "nothing numbered");
            });
            List<String> ok = new ArrayList<>(common);
            ok.addAll(List.of("1", "f.echo", "4", "", "a", "{}"));
            server.with(r -> assertEquals(List.of(1L), r.eval(src, ScriptOutputType.MULTI, keys,
                    ok.toArray(new String[0]))));
            // this client refuses a message over the limit before sending it
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> broker.enqueue(
                    List.of(new TaskMessage("big", "m", "f.echo", 4, null, big))));
            assertTrue(e.getMessage().contains("over the broker's limit of 4078"), e.getMessage());
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RedisBroker.class.getResourceAsStream("/io/taskq/redis/" + name + ".lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Issue 13, 2: a stored field that a claim parses, malformed, among six good tasks. The claim used to fail after
     * it had popped them, leaving them in no set. Now a malformed attempts field dead-letters its task with the
     * reason, and a damaged record counts as none; the good tasks run either way.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "att | not:a:number | malformed attempts field",
        "att | 1:2 | malformed attempts field",
        "att | -1:2:3 | malformed attempts field",
        "att | 99999999999:1:0 | malformed attempts field",
        "res | {\"retries\":\"x\"} | ",
        "res | {\"error\":1e999} | ",
        "res | {\"worker\":{\"a\":1},\"retries\":1} | ",
        "res | [1,2] | ",
    })
    void aMalformedStoredFieldLosesNoGoodTask(String field, String value, String deadReason) {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            String base = BrokerInternals.queueKeyBase(broker, "m");
            List<TaskHandle<String>> good = new ArrayList<>();
            submitGood(taskq, 0, 3, good);
            TaskHandle<String> victim = taskq.submit(TaskRequest.of(FaultTasks::echo, "victim").queue("m"));
            submitGood(taskq, 3, 6, good);
            server.with(r -> {
                if (field.equals("att")) {
                    r.hset(base + ":att", victim.id(), value);
                } else {
                    // as if claimed before: a record is read only for a task with an attempts field
                    r.hset(base + ":att", victim.id(), "1:7:0");
                    r.hset(base + ":res", victim.id(), value);
                }
            });
            taskq.startWorker(worker());
            awaitGood(good);
            if (deadReason == null) {
                assertEquals("victim", victim.get(WAIT), "a damaged record counts as none");
            } else {
                Await.until(WAIT, "victim dead-lettered", () -> broker.deadLetter("m", victim.id()).isPresent());
                DeadLetter d = broker.deadLetter("m", victim.id()).orElseThrow();
                assertTrue(d.reason().contains(deadReason) && d.reason().contains(value.substring(0, 3)),
                        d.reason());
                assertTrue(d.isComplete(), d.incomplete());
                assertEquals("f.echo", d.task());
                assertEquals(TaskState.FAILURE, victim.state());
                assertTrue(taskq.resubmitDeadLetter("m", victim.id()), "its message is whole: it can go again");
                assertEquals("victim", victim.get(WAIT));
            }
            Await.until(WAIT, "nothing left", () -> {
                var st = broker.stats("m");
                return st.ready() == 0 && st.inFlight() == 0 && st.delayed() == 0;
            });
        }
    }

    /** The sequence key, written by hand, holds no integer: the claim fails, and the tasks it popped go back. */
    @Test
    void aClaimThatCannotNumberItsLeasesPutsItsTasksBack() throws InterruptedException {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b)) {
            String base = BrokerInternals.queueKeyBase(broker, "m");
            List<TaskMessage> ms = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ms.add(new TaskMessage("t" + i, "m", "f.echo", 4, null, "{}"));
            }
            broker.enqueue(ms);
            server.with(r -> r.set(base + ":seq", "not a number"));
            ClaimRequest req = new ClaimRequest("c", List.of("m"), 4, Duration.ofSeconds(30), Duration.ZERO);
            RuntimeException e = assertThrows(RuntimeException.class, () -> broker.claim(req));
            assertTrue(String.valueOf(e.getMessage()).contains("does not hold an integer"), e.getMessage());
            assertEquals(6, broker.stats("m").ready(), "nothing popped for good");
            server.with(r -> r.set(base + ":seq", "100"));
            List<Delivery> got = broker.claim(req);
            assertEquals(List.of("t0", "t1", "t2", "t3"), got.stream().map(Delivery::id).toList(), "in order");
        }
    }

    /**
     * Issue 13, 4: a job field over the broker's limit, written behind the scripts' back, among good tasks: the
     * claim dead-letters it (naming its size and the limit, keeping only its beginning) instead of handing it out,
     * and the good tasks are claimed.
     */
    @Test
    void aFieldOverTheLimitIsDeadLetteredNotHandedOut() throws InterruptedException {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b.maxMessageBytes(4096))) {
            String base = BrokerInternals.queueKeyBase(broker, "m");
            List<TaskMessage> ms = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ms.add(new TaskMessage("t" + i, "m", "f.echo", 4, null, "{\"n\":" + i + "}"));
            }
            broker.enqueue(ms.subList(0, 3));
            String body = "{\"pad\":\"" + "é".repeat(50_000) + "\"}";
            server.with(r -> {
                r.hset(base + ":job", "big", "2814749767106560\nf.echo\n" + body);
                r.zadd(base + ":ready", 2814749767106560d, "big");
            });
            broker.enqueue(ms.subList(3, 6));
            ClaimRequest req = new ClaimRequest("c", List.of("m"), 2, Duration.ofSeconds(30), Duration.ZERO);
            List<Delivery> got = new ArrayList<>();
            for (int i = 0; i < 10 && got.size() < 6; i++) {
                got.addAll(broker.claim(req));
            }
            assertEquals(List.of("t0", "t1", "t2", "t3", "t4", "t5"), got.stream().map(Delivery::id).sorted().toList());
            for (Delivery d : got) {
                assertTrue(d.body().length() < 100, d.id());
            }
            DeadLetter d = broker.deadLetter("m", "big").orElseThrow();
            int size = body.getBytes(StandardCharsets.UTF_8).length + 24;
            assertEquals("message of " + size + " bytes is over the broker's limit of 4096 bytes", d.reason());
            assertEquals("f.echo", d.task());
            assertNotNull(d.incomplete());
            assertTrue(d.body().startsWith("{\"pad\":\"éé") && d.body().length() <= 1024, d.body());
            assertFalse(d.body().contains("\uFFFD"), "cut at a character boundary");
            assertEquals(List.of("big"), broker.deadLetters("m", 10).stream().map(DeadLetter::id).toList());
            assertEquals(0, broker.stats("m").ready());
        }
    }

    /** The same with a 50 MB field and the default limit, under a worker: the queue keeps moving. */
    @Test
    void aFiftyMegabyteFieldDoesNotStallTheQueue() {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b);
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            String base = BrokerInternals.queueKeyBase(broker, "m");
            List<TaskHandle<String>> good = new ArrayList<>();
            submitGood(taskq, 0, 3, good);
            server.with(r -> {
                r.hset(base + ":job", "huge", "2814749767106560\nf.echo\n" + "x".repeat(50 << 20));
                r.zadd(base + ":ready", 2814749767106560d, "huge");
            });
            submitGood(taskq, 3, 6, good);
            taskq.startWorker(worker());
            awaitGood(good);
            DeadLetter d = broker.deadLetter("m", "huge").orElseThrow();
            assertEquals("message of " + ((50 << 20) + 24) + " bytes is over the broker's limit of "
                    + ((1 << 20) + (64 << 10)) + " bytes", d.reason());
            assertEquals(1024, d.body().length());
            assertEquals(1, taskq.deadLetters("m", 10).size());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> taskq.resubmitDeadLetter("m", "huge"));
            assertTrue(e.getMessage().contains("too large to keep"), e.getMessage());
        }
    }

    /**
     * Issue 13, 3: damaged dead-letter entries (garbage, longer than taskq writes, missing) are listed as incomplete
     * instead of failing the listing, and a resubmit reads only its own entry.
     */
    @Test
    void damagedDeadLettersAreListedAsIncompleteAndBreakNoResubmit() {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b.maxMessageBytes(4096));
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            String base = BrokerInternals.queueKeyBase(broker, "m");
            taskq.startWorker(worker());
            TaskHandle<Object> unknown = taskq.submit(TaskRequest.named("f.nobody").queue("m"));
            Await.until(WAIT, "dead-lettered", () -> broker.deadLetter("m", unknown.id()).isPresent());
            long now = System.currentTimeMillis();
            server.with(r -> {
                r.zadd(base + ":dead", now + 1, "garbage");
                r.hset(base + ":dinfo", "garbage", "{not json");
                r.zadd(base + ":dead", now + 2, "trailing");
                r.hset(base + ":dinfo", "trailing", "{\"task\":\"f.echo\",\"body\":\"{}\"} {\"x\":1}");
                r.zadd(base + ":dead", now + 3, "long");
                r.hset(base + ":dinfo", "long", "\"" + "y".repeat(40_000) + "\"");
                r.zadd(base + ":dead", now + 4, "noinfo");
                r.zadd(base + ":dead", now + 5, "badprio");
                r.hset(base + ":dinfo", "badprio", "{\"task\":\"f.echo\",\"priority\":\"high\",\"body\":\"{}\"}");
            });
            Map<String, DeadLetter> all = taskq.deadLetters("m", 100).stream()
                    .collect(Collectors.toMap(DeadLetter::id, x -> x));
            assertEquals(6, all.size(), all.toString());
            assertTrue(all.get(unknown.id()).isComplete());
            assertTrue(all.get("garbage").incomplete().contains("not JSON"), all.get("garbage").incomplete());
            assertTrue(all.get("trailing").incomplete().contains("not JSON"), all.get("trailing").incomplete());
            assertTrue(all.get("long").incomplete().contains("40002 bytes long"), all.get("long").incomplete());
            assertNull(all.get("long").body());
            assertTrue(all.get("noinfo").incomplete().contains("no stored entry"));
            assertEquals(Instant.ofEpochMilli(now + 4), all.get("noinfo").deadAt());
            for (String id : List.of("garbage", "trailing", "long", "noinfo")) {
                assertThrows(IllegalStateException.class, () -> taskq.resubmitDeadLetter("m", id), id);
                assertEquals(Optional.of(all.get(id)), broker.deadLetter("m", id));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> taskq.resubmitDeadLetter("m", "badprio"));
            assertTrue(e.getMessage().contains("priority is not 0..9"), e.getMessage());
            assertTrue(taskq.resubmitDeadLetter("m", unknown.id()), "the others do not matter");
            assertFalse(taskq.resubmitDeadLetter("m", "nope"));
            Await.until(WAIT, "dead again", () -> broker.deadLetter("m", unknown.id()).isPresent()
                    && broker.stats("m").ready() == 0);
            // Looking them up by id answers FAILURE for each, the damaged ones included, instead of throwing.
            Map<String, io.taskq.TaskInfo> found = taskq.lookup(List.of("garbage", "trailing", "long", "noinfo"));
            for (String id : List.of("garbage", "trailing", "long", "noinfo")) {
                assertEquals(io.taskq.TaskState.FAILURE, found.get(id).state(), id);
                assertEquals(io.taskq.TaskState.FAILURE, taskq.handle(id).state(), id);
            }
            assertEquals(6, broker.purgeDeadLetters("m"));
        }
    }

    /** A named lease whose time was overwritten by hand counts as expired instead of failing every call. */
    @Test
    void aLeaseWithADamagedTimeCanBeTakenAgain() {
        try (RedisBroker broker = server.broker(Clock.systemUTC(), b -> b)) {
            server.with(r -> r.hset("{" + broker.keyPrefix() + "}:lease:beat", Map.of("owner", "x", "until", "soon")));
            assertEquals(Optional.empty(), broker.holder("beat"));
            assertTrue(broker.tryAcquire("beat", "me", Duration.ofSeconds(30)));
            assertEquals(Optional.of("me"), broker.holder("beat"));
        }
    }
}
