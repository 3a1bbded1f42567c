package io.taskq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Signature;
import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as an operator runs it: its own process (the shaded jar, and once the launcher script with an env file),
 * connecting as an ACL user made from the shipped docs/deploy/redis-acl.conf rules for its own prefix, against a
 * real redis-server on which this JVM runs a real worker.
 */
class TaskqCliIT {
    @RegisterExtension
    static final PerClassRedis redis = new PerClassRedis();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "cli" + UUID.randomUUID().toString().substring(0, 6);
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String NODE = "cli-it-node";
    /** A second worker, of the queues "ctl" and "deadq", that the remote control tests steer. */
    private static final String CTL_NODE = "cli-it-node-ctl";

    private static RedisBackend backend;
    private static Taskq taskq;
    private static final ItTasks TASKS = new ItTasks();

    /** The tasks the worker of this test runs. */
    public static final class ItTasks {
        final AtomicInteger flakyCalls = new AtomicInteger();

        @Task(name = "it.add")
        public int add(int a, int b) {
            return a + b;
        }

        /** Fails the first time (a dead letter), succeeds once resubmitted. */
        @Task(name = "it.flaky")
        public String flaky() {
            if (flakyCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("first call fails");
            }
            return "fixed";
        }

        @Task(name = "it.boom")
        public void boom() {
            throw new IllegalStateException("always fails");
        }

        final AtomicInteger onceCalls = new AtomicInteger();
        volatile CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch gate = new CountDownLatch(0);

        /** Fails with another error type the first time, succeeds once resubmitted. */
        @Task(name = "it.once")
        public String once() {
            if (onceCalls.incrementAndGet() == 1) {
                throw new UnsupportedOperationException("not yet");
            }
            return "done";
        }

        /** Runs until the test opens the gate (at most a minute). */
        @Task(name = "it.gated")
        public String gated(String label) throws InterruptedException {
            started.countDown();
            gate.await(60, TimeUnit.SECONDS);
            return label;
        }
    }

    @BeforeAll
    static void startWorkerAndAclUser() throws IOException {
        aclUser();
        backend = RedisBackend.builder().uri(redis.url()).keyPrefix(PREFIX).build();
        taskq = Taskq.builder().broker(backend.broker()).tasks(TASKS).argsRepr(200).build();
        taskq.startWorker(WorkerOptions.builder().nodeName(NODE).queues("default").concurrency(2)
                .heartbeatInterval(Duration.ofSeconds(1)).build());
        taskq.startWorker(WorkerOptions.builder().nodeName(CTL_NODE).queues("ctl", "deadq").concurrency(1)
                .heartbeatInterval(Duration.ofSeconds(1)).build());
    }

    /** The shipped ACL rules of the uat user, for this test's prefix and password. */
    private static void aclUser() throws IOException {
        Path acl = Path.of("..", "docs", "deploy", "redis-acl.conf");
        String line = Files.readAllLines(acl).stream().filter(l -> l.startsWith("user uat ")).findFirst()
                .orElseThrow();
        String rules = line.substring("user uat ".length()).replace("CHANGE-ME-uat", PASSWORD)
                .replace("{uat", "{" + PREFIX);
        redis.with(c -> {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(PREFIX);
            for (String r : rules.trim().split("\\s+")) {
                args.add(r);
            }
            c.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
        });
    }

    @AfterAll
    static void stop() {
        if (taskq != null) {
            taskq.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The environment of an operator of this prefix: the env file's variables. */
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TASKQ_REDIS_URL", redis.url().replace("redis://", "redis://" + PREFIX + ":" + PASSWORD + "@"));
        env.put("TASKQ_KEY_PREFIX", PREFIX);
        env.put("USER", "alice");
        return env;
    }

    private static CliProcess.Result cli(String... args) {
        return CliProcess.run(env(), args);
    }

    private static CliProcess.Result ok(String... args) {
        CliProcess.Result r = cli(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + ": " + r);
        return r;
    }

    private static JsonNode json(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        return JSON.readTree(ok(all.toArray(String[]::new)).out());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 30 s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The worker of {@code node} in {@code workers --json}, or null. */
    private static JsonNode listedWorker(String node) throws IOException {
        for (JsonNode w : json("workers")) {
            if (w.get("node").asText().equals(node)) {
                return w;
            }
        }
        return null;
    }

    private static void awaitListed(String what, String node, java.util.function.Predicate<JsonNode> condition) {
        await(what, () -> {
            try {
                JsonNode w = listedWorker(node);
                return w != null && condition.test(w);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void listsTheWorkerWithItsRegistryFields() throws IOException {
        String table = ok("workers").out();
        assertTrue(table.startsWith("NODE"), table);
        assertTrue(table.contains(NODE), table);
        JsonNode workers = json("workers");
        JsonNode w = workers.get(0);
        assertEquals(NODE, w.get("node").asText());
        assertEquals("default", w.get("queues").get(0).asText());
        assertEquals(2, w.get("concurrency").asInt());
        assertNotNull(w.get("lastHeartbeat").asText());
    }

    @Test
    void countsQueuesAndPagesThroughTheirTasks() throws IOException {
        for (int i = 0; i < 3; i++) {
            taskq.submit(TaskRequest.named("it.add", i, i).queue("parked"));
        }
        JsonNode queues = json("queues");
        JsonNode parked = null;
        for (JsonNode q : queues) {
            if (q.get("queue").asText().equals("parked")) {
                parked = q;
            }
        }
        assertNotNull(parked, queues.toString());
        assertEquals(3, parked.get("ready").asInt());
        assertTrue(ok("queues").out().contains("parked"));

        JsonNode page = json("tasks", "parked", "--state", "queued", "--limit", "2");
        assertEquals(2, page.get("tasks").size());
        String next = page.get("next").asText();
        JsonNode rest = json("tasks", "parked", "--state", "QUEUED", "--limit", "2", "--cursor", next);
        assertEquals(1, rest.get("tasks").size());
        assertTrue(rest.get("next").isNull());
        assertEquals("it.add", rest.get("tasks").get(0).get("task").asText());
    }

    @Test
    void looksATaskUpAndSaysWhenThereIsNone() throws Exception {
        TaskHandle<Object> h = taskq.submit("it.add", 2, 3);
        assertEquals(5, ((Number) h.get(Duration.ofSeconds(30))).intValue());
        String human = ok("task", h.id()).out();
        assertTrue(human.contains("SUCCESS") && human.contains("it.add"), human);
        JsonNode t = json("task", h.id());
        assertEquals("SUCCESS", t.get("state").asText());
        assertEquals(5, t.get("result").asInt());
        assertEquals("default", t.get("queue").asText());
        assertEquals(1, t.get("attempt").asInt());

        CliProcess.Result none = cli("task", "no-such-task");
        assertEquals(3, none.exit(), none.toString());
        assertTrue(none.err().contains("no task no-such-task"), none.toString());
    }

    @Test
    void revokesAWaitingTask() throws IOException {
        TaskHandle<Object> h = taskq.submit(TaskRequest.named("it.add", 1, 1).queue("parked-revoke"));
        JsonNode r = json("revoke", h.id(), "--reason", "not needed");
        assertEquals("REMOVED", r.get("outcome").asText());
        assertEquals(TaskState.REVOKED, h.state());
        assertTrue(h.info().reason().contains("not needed") && h.info().reason().contains("cli:alice"),
                h.info().reason());
        assertEquals(3, cli("revoke", "no-such-task").exit());
    }

    @Test
    void listsAndRevokesAWorkflowByItsRoot() throws IOException {
        ChainHandle<Object> h = taskq.submit(Chain.of(TaskRequest.named("it.add", 1, 1))
                .then(Signature.named("it.add", 5).countdown(Duration.ofHours(1))));
        String root = h.steps().get(0).id();
        await("the second step delayed", () -> taskq.workflow(root).size() == 2);
        JsonNode listed = json("tasks", "--root", root);
        assertEquals(root, listed.get("root").asText());
        assertEquals(2, listed.get("tasks").size());
        JsonNode delayed = listed.get("tasks").get(0);
        assertEquals(h.id(), delayed.get("id").asText());
        assertEquals("delayed", delayed.get("place").asText());
        assertEquals(root, delayed.get("rootId").asText());
        JsonNode first = listed.get("tasks").get(1);
        assertEquals("finished", first.get("place").asText());
        assertEquals(root, first.get("rootId").asText());
        assertTrue(ok("tasks", "--root", root).out().contains("delayed"));

        CliProcess.Result unconfirmed = cli("revoke", "--root", root);
        assertEquals(2, unconfirmed.exit(), unconfirmed.toString());
        assertTrue(unconfirmed.err().contains("--yes"), unconfirmed.toString());
        assertEquals(TaskState.PENDING, h.state(), "nothing revoked unconfirmed");
        JsonNode revoked = json("revoke", "--root", root, "--yes", "--reason", "wrong order");
        assertEquals(1, revoked.get("revoked").asInt());
        assertEquals(TaskState.REVOKED, h.state());
        String reason = taskq.handle(h.id()).info().reason();
        assertTrue(reason.contains("wrong order") && reason.contains("cli:alice"), reason);
        JsonNode shown = json("task", h.id());
        assertEquals(root, shown.get("rootId").asText(), "the REVOKED record keeps the lineage");
        assertEquals(root, shown.get("parentId").asText());
        assertEquals(3, cli("tasks", "--root", "no-such-root").exit());
        assertEquals(3, cli("revoke", "--root", "no-such-root", "--yes").exit());
        assertEquals(2, cli("revoke", h.id(), "--root", root).exit());
    }

    @Test
    void listsResubmitsAndPurgesDeadLetters() throws IOException {
        TaskHandle<Object> h = taskq.submit("it.flaky");
        await("the first attempt fails", () -> h.state() == TaskState.FAILURE);
        JsonNode dead = json("dead", "list", "default");
        assertEquals(h.id(), dead.get(0).get("id").asText());
        assertEquals("it.flaky", dead.get(0).get("task").asText());
        assertTrue(ok("dead", "list", "default", "--limit", "5").out().contains(h.id()));

        ok("dead", "resubmit", "default", h.id());
        await("the resubmitted task succeeds", () -> h.state() == TaskState.SUCCESS);
        assertEquals(3, cli("dead", "resubmit", "default", "no-such-task").exit());

        TaskHandle<Object> boom = taskq.submit("it.boom");
        await("the task fails", () -> boom.state() == TaskState.FAILURE);
        CliProcess.Result refused = cli("dead", "purge", "default");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("--yes"), refused.toString());
        JsonNode purged = json("dead", "purge", "default", "--yes");
        assertEquals(1, purged.get("purged").asInt());
        assertEquals(0, json("dead", "list", "default").size());
    }

    @Test
    void editsTheScheduleAndAuditsTheUser() throws IOException {
        ok("schedule", "add", "nightly", "--task", "it.add", "--cron", "0 3 * * *", "--zone", "Europe/London",
                "--args", "[20, 22]");
        JsonNode list = json("schedule", "list");
        assertEquals("nightly", list.get(0).get("name").asText());
        assertEquals("cron", list.get(0).get("spec").get("kind").asText());
        assertTrue(ok("schedule", "list").out().contains("nightly"));

        JsonNode disabled = json("schedule", "disable", "nightly");
        assertFalse(disabled.get("enabled").asBoolean());
        assertNull(disabled.get("nextRunAt").textValue());

        JsonNode edited = json("schedule", "edit", "nightly", "--every", "1h");
        assertEquals("interval", edited.get("spec").get("kind").asText());
        assertEquals("[20,22]", edited.get("args").toString());

        JsonNode run = json("schedule", "run", "nightly");
        TaskHandle<Object> h = taskq.handle(run.get("id").asText());
        await("the run the CLI started is done", () -> h.state() == TaskState.SUCCESS);
        assertEquals(42, json("task", h.id()).get("result").asInt());

        JsonNode audit = json("schedule", "audit");
        List<String> actions = new ArrayList<>();
        for (JsonNode a : audit) {
            assertEquals("cli:alice", a.get("actor").asText());
            actions.add(a.get("action").asText());
        }
        assertEquals(List.of("run-now", "update", "disable", "add"), actions);

        assertEquals(3, cli("schedule", "show", "no-such-entry").exit());
        assertEquals(2, cli("schedule", "delete", "nightly").exit());
        ok("schedule", "delete", "nightly", "--yes");
        assertEquals(3, cli("schedule", "enable", "nightly").exit());
    }

    @Test
    void printsEventsAndFollowsNewOnes() throws Exception {
        TaskHandle<Object> h = taskq.submit("it.add", 4, 4);
        h.get(Duration.ofSeconds(30));
        await("the events are in the stream", () -> CliProcess.run(env(), "events", "--type", "task-succeeded")
                .out().contains(h.id()));
        String dump = ok("events").out();
        assertTrue(dump.lines().anyMatch(l -> l.contains(" task-sent ") && l.contains("id=" + h.id())), dump);
        String json = ok("events", "--json", "--type", "task-*", "--limit", "3").out();
        List<String> lines = json.lines().toList();
        assertEquals(3, lines.size(), json);
        for (String l : lines) {
            assertTrue(JSON.readTree(l).get("type").asText().startsWith("task-"), l);
        }
        // --since resumes after a position as printed: the next event is the one after it in the stream.
        String first = JSON.readTree(lines.get(0)).get("position").asText();
        String second = JSON.readTree(lines.get(1)).get("position").asText();
        JsonNode after = JSON.readTree(ok("events", "--json", "--type", "task-*", "--since", first, "--limit", "1")
                .out());
        assertEquals(second, after.get("position").asText());

        List<String> cmd = List.of(CliProcess.java(), "-jar", CliProcess.jar().toString(), "events", "--follow",
                "--type", "task-succeeded");
        Process follow = CliProcess.start(cmd, env());
        try {
            List<String> seen = CliProcess.collectLines(follow);
            List<String> ids = new ArrayList<>();
            // The subscription starts after the JVM does: submit until one of the new tasks shows.
            await("a new event is followed", () -> {
                ids.add(taskq.submit("it.add", 1, 2).id());
                return seen.stream().anyMatch(l -> ids.stream().anyMatch(id -> l.contains("id=" + id)));
            });
        } finally {
            follow.destroy();
            follow.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWrongPasswordFailsClearlyWithoutPrintingIt() {
        Map<String, String> env = env();
        String wrong = "wrong-" + UUID.randomUUID();
        env.put("TASKQ_REDIS_URL", redis.url().replace("redis://", "redis://" + PREFIX + ":" + wrong + "@"));
        CliProcess.Result r = CliProcess.run(env, "queues");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("authentication failed"), r.toString());
        assertFalse(r.err().contains(wrong) || r.out().contains(wrong), r.toString());

        env.put("TASKQ_REDIS_URL", redis.url());
        env.put("TASKQ_REDIS_USERNAME", PREFIX);
        env.put("TASKQ_REDIS_PASSWORD", wrong);
        CliProcess.Result viaVariable = CliProcess.run(env, "workers", "--json");
        assertEquals(1, viaVariable.exit(), viaVariable.toString());
        assertFalse(viaVariable.err().contains(wrong) || viaVariable.out().contains(wrong), viaVariable.toString());
    }

    @Test
    void usageErrorsHelpAndVersionNeedNoRedis() {
        CliProcess.Result help = CliProcess.run(Map.of(), "dead", "list", "--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().contains("Usage: taskq dead list"), help.toString());
        CliProcess.Result version = CliProcess.run(Map.of(), "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("taskq "), version.toString());
        assertEquals(2, CliProcess.run(Map.of(), "tasks", "q", "--state", "nowhere").exit());
        assertEquals(2, CliProcess.run(Map.of(), "no-such-command").exit());
        CliProcess.Result noRedis = CliProcess.run(Map.of(), "workers");
        assertEquals(2, noRedis.exit(), noRedis.toString());
        assertTrue(noRedis.err().contains("TASKQ_REDIS_URL"), noRedis.toString());
    }

    @Test
    void theLauncherReadsAnApplicationsEnvFile(@TempDir Path dir) throws IOException {
        Path envFile = dir.resolve("uat.env");
        Map<String, String> env = env();
        Files.writeString(envFile, "# like docs/deploy/uat.env\n"
                + "TASKQ_REDIS_URL=" + env.get("TASKQ_REDIS_URL") + "\n"
                + "TASKQ_KEY_PREFIX=\"" + PREFIX + "\"\n"
                + "TASKQ_CONCURRENCY=4\n"
                + "JAVA_OPTS=-Xmx256m -XX:+ExitOnOutOfMemoryError\n");
        Map<String, String> launcherEnv = new HashMap<>();
        launcherEnv.put("TASKQ_CLI_JAR", CliProcess.jar().toString());
        launcherEnv.put("JAVA_HOME", System.getProperty("java.home"));
        CliProcess.Result r = CliProcess.run(List.of("bash", CliProcess.script().toString(), "--env-file",
                envFile.toString(), "workers", "--json"), launcherEnv);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(NODE, JSON.readTree(r.out()).get(0).get("node").asText());
    }

    @Test
    void inspectsWhatTheWorkersRunNow() throws Exception {
        JsonNode pings = json("inspect", "ping");
        List<String> nodes = new ArrayList<>();
        for (JsonNode r : pings) {
            assertEquals("pong", r.get("value").asText(), r.toString());
            nodes.add(r.get("node").asText());
        }
        assertTrue(nodes.containsAll(List.of(NODE, CTL_NODE)), nodes.toString());

        TASKS.started = new CountDownLatch(1);
        TASKS.gate = new CountDownLatch(1);
        TaskHandle<Object> h = taskq.submit(TaskRequest.named("it.gated", "hello-inspect").queue("ctl"));
        try {
            assertTrue(TASKS.started.await(30, TimeUnit.SECONDS), "the gated task starts");
            JsonNode active = json("inspect", "active", "--destination", CTL_NODE, "--timeout", "5s");
            assertEquals(1, active.size(), active.toString());
            assertEquals(CTL_NODE, active.get(0).get("node").asText());
            JsonNode running = active.get(0).get("value").get(0);
            assertEquals(h.id(), running.get("id").asText());
            assertEquals("it.gated", running.get("name").asText());
            assertEquals(1, running.get("attempt").asInt());
            assertTrue(running.get("args").asText().contains("hello-inspect"), running.toString());
            String table = ok("inspect", "active").out();
            assertTrue(table.startsWith("NODE") && table.contains("ARGS"), table);
            assertTrue(table.lines().anyMatch(l -> l.startsWith(CTL_NODE) && l.contains(h.id())
                    && l.contains("it.gated") && l.contains("hello-inspect")), table);
            assertEquals(0, json("inspect", "reserved", "-d", CTL_NODE).get(0).get("value").size());
        } finally {
            TASKS.gate.countDown();
        }
        assertEquals("hello-inspect", h.get(Duration.ofSeconds(30)));

        assertTrue(ok("inspect", "registered", "-d", NODE).out().lines()
                .anyMatch(l -> l.startsWith(NODE) && l.endsWith("it.gated")));
        JsonNode stats = json("inspect", "stats", "-d", CTL_NODE).get(0).get("value");
        assertEquals(List.of("ctl", "deadq"), List.of(stats.get("queues").get(0).asText(),
                stats.get("queues").get(1).asText()));
        assertTrue(ok("inspect", "stats").out().contains(CTL_NODE));

        CliProcess.Result nobody = cli("inspect", "ping", "--destination", "no-such-node", "--timeout", "300ms");
        assertEquals(0, nobody.exit(), nobody.toString());
        assertTrue(nobody.err().contains("no worker replied within 300ms"), nobody.toString());
    }

    @Test
    void pausesResumesAndResizesAWorker() throws Exception {
        CliProcess.Result paused = ok("control", "pause", "ctl", "--destination", CTL_NODE);
        assertEquals(CTL_NODE + " (" + workerId(CTL_NODE) + "): paused queue 'ctl'", paused.out().strip());
        try {
            TaskHandle<Object> h = taskq.submit(TaskRequest.named("it.add", 20, 1).queue("ctl"));
            awaitListed("the registry shows the pause", CTL_NODE,
                    w -> w.get("pausedQueues").toString().equals("[\"ctl\"]"));
            // A CLI process later, the task still waits in its queue.
            JsonNode queued = json("tasks", "ctl", "--state", "queued");
            assertEquals(h.id(), queued.get("tasks").get(0).get("id").asText());
            assertEquals(TaskState.PENDING, h.state());
            assertFalse(json("control", "pause", "ctl", "-d", CTL_NODE).get(0).get("value").asBoolean());

            // To every worker: asks first; confirmed, the worker that does not consume "ctl" replies an error.
            CliProcess.Result refused = cli("control", "pause", "ctl");
            assertEquals(2, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("--yes"), refused.toString());
            CliProcess.Result partly = cli("control", "pause", "ctl", "--yes");
            assertEquals(1, partly.exit(), partly.toString());
            assertTrue(partly.out().lines().anyMatch(l -> l.startsWith(NODE + " (") && l.contains("error:")),
                    partly.toString());
            assertTrue(partly.out().contains(CTL_NODE + " (" + workerId(CTL_NODE) + "): queue 'ctl' was paused"
                    + " already"), partly.toString());

            ok("control", "resume", "ctl", "-d", CTL_NODE);
            assertEquals(21, ((Number) h.get(Duration.ofSeconds(30))).intValue());
        } finally {
            taskq.control().destination(CTL_NODE).resume("ctl");
        }

        try {
            CliProcess.Result resized = ok("control", "concurrency", "3", "-d", CTL_NODE);
            assertTrue(resized.out().contains("concurrency 1 -> 3"), resized.toString());
            awaitListed("the registry shows the concurrency", CTL_NODE, w -> w.get("concurrency").asInt() == 3);
            assertTrue(ok("workers").out().lines().anyMatch(l -> l.startsWith(CTL_NODE + " ")
                    && l.matches(".*\\s3\\s+\\d+/\\d+\\s.*")), ok("workers").out());
        } finally {
            taskq.control().destination(CTL_NODE).setConcurrency(1);
        }

        CliProcess.Result nobody = cli("control", "concurrency", "2", "-d", "no-such-node", "--timeout", "300ms");
        assertEquals(1, nobody.exit(), nobody.toString());
        assertTrue(nobody.err().contains("no worker replied within 300ms"), nobody.toString());
    }

    private static String workerId(String node) throws IOException {
        return listedWorker(node).get("id").asText();
    }

    @Test
    void shutsAWorkerDownOnlyWhenConfirmed() throws IOException {
        String doomed = "cli-it-zz-doomed";
        taskq.startWorker(WorkerOptions.builder().nodeName(doomed).queues("doomed").concurrency(1)
                .heartbeatInterval(Duration.ofSeconds(1)).build());
        awaitListed("the worker is listed", doomed, w -> true);
        CliProcess.Result refused = cli("control", "shutdown", "-d", doomed);
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("shut down " + doomed + " without --yes"), refused.toString());
        assertNotNull(listedWorker(doomed));

        JsonNode replies = json("control", "shutdown", "-d", doomed, "--yes");
        assertEquals(1, replies.size(), replies.toString());
        assertTrue(replies.get(0).get("value").asBoolean(), replies.toString());
        await("the worker leaves the registry", () -> {
            try {
                return listedWorker(doomed) == null;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void purgesTheReadyTasksOfAQueueAndShowsTheirAge() throws IOException {
        for (int i = 0; i < 3; i++) {
            taskq.submit(TaskRequest.named("it.add", i, i).queue("topurge"));
        }
        JsonNode q = queue("topurge");
        assertEquals(3, q.get("ready").asInt());
        assertTrue(q.get("oldestReadyAge").asText().startsWith("PT"), q.toString());
        assertTrue(ok("queues").out().lines().findFirst().orElseThrow().endsWith("OLDEST READY"));

        CliProcess.Result refused = cli("purge", "topurge");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("delete the 3 ready task(s) of queue 'topurge'"), refused.toString());
        assertEquals(3, queue("topurge").get("ready").asInt());

        assertEquals(3, json("purge", "topurge", "--yes").get("purged").asInt());
        assertEquals(0, queue("topurge").get("ready").asInt());
        assertEquals("PT0S", queue("topurge").get("oldestReadyAge").asText());
        assertEquals("purged 0 ready task(s) of queue 'topurge'", ok("purge", "topurge", "--yes").out().strip());
    }

    @Test
    void setsListsAndClearsTheLimitsRunTimeValuesForEveryWorker() throws IOException {
        CliProcess.Result refused = cli("limits", "rate", "it.add", "20/s");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("set the rate of task:it.add to 20/s on every worker"), refused.toString());
        assertFalse(taskq.limits().overrides().containsKey("task:it.add"));

        assertEquals("rate of task:it.add: 20/s (was the declared rate)",
                ok("limits", "rate", "it.add", "20/s", "--yes").out().strip());
        JsonNode burst = json("limits", "rate", "it.add", "600/m", "--burst", "20", "--yes");
        assertEquals("600/m", burst.get("rate").get("text").asText());
        assertEquals(20, burst.get("rate").get("burst").asInt());
        ok("limits", "rate", "--queue", "mailq", "5/10s", "--yes");
        ok("limits", "concurrency", "it.gated", "3", "--yes");

        Map<String, io.taskq.spi.LimitStore.Setting> now = taskq.limits().overrides();
        assertEquals(io.taskq.RateLimit.of(600, Duration.ofMinutes(1)).withBurst(20), now.get("task:it.add").rate());
        assertEquals(io.taskq.RateLimit.of(5, Duration.ofSeconds(10)), now.get("queue:mailq").rate());
        assertEquals(3, now.get("task:it.gated").maxRunning());
        assertNull(now.get("task:it.gated").rate());

        List<String> lines = ok("limits", "list").out().lines().toList();
        assertEquals("LIMIT          RATE   BURST  MAX RUNNING", lines.get(0));
        assertEquals(java.util.Set.of("task:it.add    600/m  20     -", "queue:mailq    5/10s  1      -",
                "task:it.gated  -      -      3"), java.util.Set.copyOf(lines.subList(1, lines.size())));
        JsonNode list = json("limits", "list");
        assertEquals(3, list.size());
        for (JsonNode l : list) {
            if (l.get("limit").asText().equals("task:it.gated")) {
                assertTrue(l.get("rate").isNull(), l.toString());
                assertEquals(3, l.get("maxRunning").asInt());
            }
        }

        assertEquals("most running of task:it.gated: 2 (was 3)",
                ok("limits", "concurrency", "it.gated", "2", "--yes").out().strip());
        assertEquals("cleared queue:mailq: its declared limits apply",
                ok("limits", "clear", "--queue", "mailq", "--yes").out().strip());
        assertTrue(json("limits", "clear", "it.add", "--yes").get("cleared").asBoolean());
        CliProcess.Result none = cli("limits", "clear", "it.add", "--yes");
        assertEquals(3, none.exit(), none.toString());
        assertTrue(none.err().contains("no run-time values for task:it.add"), none.toString());
        assertEquals(Map.of("task:it.gated", new io.taskq.spi.LimitStore.Setting(null, 2)),
                taskq.limits().overrides());
        ok("limits", "clear", "it.gated", "--yes");
        assertTrue(taskq.limits().overrides().isEmpty());
    }

    private static JsonNode queue(String name) throws IOException {
        for (JsonNode q : json("queues")) {
            if (q.get("queue").asText().equals(name)) {
                return q;
            }
        }
        throw new AssertionError("no queue " + name);
    }

    @Test
    void resubmitsAndDeletesDeadLettersByFilter() throws IOException {
        List<TaskHandle<Object>> booms = List.of(taskq.submit(TaskRequest.named("it.boom").queue("deadq")),
                taskq.submit(TaskRequest.named("it.boom").queue("deadq")));
        TaskHandle<Object> once = taskq.submit(TaskRequest.named("it.once").queue("deadq"));
        await("three dead letters", () -> booms.get(0).state() == TaskState.FAILURE
                && booms.get(1).state() == TaskState.FAILURE && once.state() == TaskState.FAILURE);

        JsonNode illegal = json("dead", "list", "deadq", "--error-type", "java.lang.IllegalStateException");
        assertEquals(2, illegal.size(), illegal.toString());
        illegal.forEach(d -> assertEquals("it.boom", d.get("task").asText()));
        assertEquals(once.id(), json("dead", "list", "deadq", "--task", "it.once").get(0).get("id").asText());
        assertEquals(0, json("dead", "list", "deadq", "--older-than", "1h").size());
        CliProcess.Result paged = cli("dead", "list", "deadq", "--newer-than", "1h", "--limit", "2");
        assertEquals(0, paged.exit(), paged.toString());
        assertEquals(3, paged.out().lines().count(), paged.toString());
        String cursor = paged.err().lines().filter(l -> l.startsWith("more: --cursor ")).findFirst().orElseThrow()
                .substring("more: --cursor ".length());
        assertEquals(1, json("dead", "list", "deadq", "--newer-than", "1h", "--cursor", cursor).size());

        CliProcess.Result noFilter = cli("dead", "delete", "deadq", "--yes");
        assertEquals(2, noFilter.exit(), noFilter.toString());
        CliProcess.Result unconfirmed = cli("dead", "resubmit", "deadq", "--task", "it.once");
        assertEquals(2, unconfirmed.exit(), unconfirmed.toString());
        assertEquals(TaskState.FAILURE, once.state());

        assertEquals(1, json("dead", "resubmit", "deadq", "--task", "it.once", "--yes").get("resubmitted").asInt());
        await("the resubmitted task succeeds", () -> once.state() == TaskState.SUCCESS);
        assertEquals("deleted dead letter " + booms.get(0).id() + " of queue 'deadq'",
                ok("dead", "delete", "deadq", booms.get(0).id(), "--yes").out().strip());
        assertEquals(3, cli("dead", "delete", "deadq", booms.get(0).id(), "--yes").exit(), "gone already");
        assertEquals(2, cli("dead", "delete", "deadq", booms.get(1).id(), "--all", "--yes").exit(), "not both");
        assertEquals(1, json("dead", "delete", "deadq", "--error-type", "java.lang.IllegalStateException",
                "--limit", "5", "--yes").get("deleted").asInt());
        assertEquals(0, json("dead", "list", "deadq").size());
        assertEquals("deleted 0 dead letter(s) of queue 'deadq'", ok("dead", "delete", "deadq", "--all", "--yes")
                .out().strip());
    }
}
