package io.taskq.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Signature;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBackend;
import io.taskq.scheduler.Scheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's API over a real Redis: a worker in the same namespace seen and steered, listings and searches by
 * the Redis queue administration, a task's timeline from the Redis event stream, periodic tasks in the Redis
 * schedule store with the user in the audit trail kept there.
 */
class DashboardRedisIT {
    @RegisterExtension
    static final PerClassRedis redis = new PerClassRedis();

    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static RedisBackend backend;
    private static Taskq taskq;
    private static Scheduler scheduler;
    private static TaskqDashboard dashboard;
    private static Browser admin;

    @BeforeAll
    static void start() throws IOException {
        backend = RedisBackend.builder().uri(redis.url()).keyPrefix("dit" + UUID.randomUUID().toString()
                .substring(0, 6)).build();
        taskq = Taskq.builder().broker(backend.broker()).tasks(new TestTasks()).argsRepr(200).build();
        taskq.startWorker(WorkerOptions.builder().nodeName("redis-node").queues("default", "slow").concurrency(2)
                .heartbeatInterval(Duration.ofMillis(500)).build());
        scheduler = Scheduler.builder().taskq(taskq).store(backend.scheduleStore()).leases(backend.leases())
                .build();
        dashboard = TaskqDashboard.builder().taskq(taskq).scheduler(scheduler)
                .user("maria", PASSWORD, DashboardRole.ADMIN).build();
        admin = new Browser(dashboard);
        assertEquals(200, admin.login("maria", PASSWORD).status);
    }

    @AfterAll
    static void stop() {
        dashboard.close();
        scheduler.close();
        taskq.close();
        backend.close();
    }

    private static JsonNode worker(String node) throws IOException {
        for (JsonNode w : admin.json("/api/workers")) {
            if (w.get("nodeName").asText().equals(node)) {
                return w;
            }
        }
        return null;
    }

    @Test
    void aTaskIsFoundWithItsResultArgumentsAndTimeline() throws Exception {
        TaskHandle<Object> h = taskq.submit("dash.add", 20, 22);
        assertEquals(42, ((Number) h.get(Duration.ofSeconds(20))).intValue());
        Await.until("its succeeded event", () -> {
            try {
                return admin.json("/api/tasks/" + h.id()).get("timeline").toString().contains("task-succeeded");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        JsonNode t = admin.json("/api/tasks/" + h.id());
        assertEquals("SUCCESS", t.get("state").asText());
        assertEquals(42, t.get("result").asInt());
        assertEquals("[20,22]", t.get("args").get("value").asText());
        assertTrue(t.get("timeline").get("complete").asBoolean());
        assertTrue(t.get("timeline").toString().contains("task-sent"), t.toString());
    }

    @Test
    void aChainIsListedByItsRootWithItsLineageAndRevokedAsAWhole() throws Exception {
        ChainHandle<Object> h = taskq.submit(Chain.of(TaskRequest.named("dash.add", 1, 1))
                .then(Signature.named("dash.add", 5))
                .then(Signature.named("dash.add", 7).countdown(Duration.ofHours(1))));
        String root = h.steps().get(0).id();
        String second = h.steps().get(1).id();
        Await.until("the last step delayed", () -> taskq.workflow(root).size() == 3);
        JsonNode listed = admin.json("/api/tasks?root=" + root);
        assertEquals(3, listed.get("tasks").size());
        JsonNode middle = admin.json("/api/tasks/" + second);
        assertEquals("SUCCESS", middle.get("state").asText());
        assertEquals(root, middle.get("rootId").asText());
        assertEquals(root, middle.get("parentId").asText(), "read back from the record the Redis worker wrote");
        assertEquals(1, admin.change("POST", "/api/workflows/" + root + "/revoke", null).json().get("revoked")
                .asInt());
        JsonNode last = admin.json("/api/tasks/" + h.id());
        assertEquals("REVOKED", last.get("state").asText());
        assertEquals(second, last.get("parentId").asText(), "revoke.lua took the lineage from the message");
    }

    @Test
    void theWorkerIsListedAndAQueueIsPausedAndResumedThroughTheApi() throws Exception {
        Await.until("the worker listed", () -> {
            try {
                return worker("redis-node") != null;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        String id = worker("redis-node").get("id").asText();
        FakeExchange paused = admin.change("POST", "/api/workers/pause",
                "{\"queue\":\"slow\",\"destination\":\"" + id + "\"}");
        assertEquals(200, paused.status, paused.text());
        assertTrue(paused.json().get(0).get("ok").asBoolean(), paused.text());
        Await.until("listed as paused", () -> {
            try {
                return worker("redis-node").get("pausedQueues").toString().contains("slow");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        TaskHandle<Object> held = taskq.submit(io.taskq.TaskRequest.named("dash.add", 1, 2).queue("slow"));
        assertEquals(1, admin.json("/api/tasks?queue=slow&state=queued").get("tasks").size());
        assertEquals(TaskState.PENDING, held.state());
        JsonNode waiting = admin.json("/api/tasks/" + held.id());
        assertEquals("queued message", waiting.get("args").get("source").asText(), waiting.toString());
        assertTrue(waiting.get("args").get("value").toString().contains("[1,2]"), waiting.toString());
        assertEquals(200, admin.change("POST", "/api/workers/resume",
                "{\"queue\":\"slow\",\"destination\":\"" + id + "\"}").status);
        assertEquals(3, ((Number) held.get(Duration.ofSeconds(20))).intValue());
    }

    @Test
    void deadLettersAreSearchedResubmittedAndDeletedByFilter() throws Exception {
        for (int i = 0; i < 3; i++) {
            taskq.submit("dash.boom", "x" + i);
        }
        Await.until("three dead letters", () -> taskq.stats("default").dead() >= 3);
        JsonNode found = admin.json("/api/dead?queue=default&task=dash.boom&errorType=java.lang.IllegalStateException");
        assertEquals(3, found.get("deadLetters").size());
        assertEquals(0, admin.json("/api/dead?queue=default&task=dash.boom&errorType=java.io.IOException")
                .get("deadLetters").size());
        String one = found.get("deadLetters").get(0).get("id").asText();
        FakeExchange single = admin.change("POST", "/api/dead/default/delete", "{\"id\":\"" + one + "\"}");
        assertEquals(1, single.json().get("deleted").asInt(), single.text());
        assertEquals(404, admin.change("POST", "/api/dead/default/delete", "{\"id\":\"" + one + "\"}").status);
        FakeExchange deleted = admin.change("POST", "/api/dead/default/delete", "{\"task\":\"dash.boom\"}");
        assertEquals(2, deleted.json().get("deleted").asInt(), deleted.text());
        assertEquals(0, taskq.stats("default").dead());
    }

    @Test
    void periodicTasksAreKeptInRedisWithTheUserInTheAuditTrail() throws Exception {
        FakeExchange created = admin.change("POST", "/api/schedules", "{\"name\":\"solar-report\","
                + "\"task\":\"dash.tick\",\"spec\":{\"kind\":\"solar\",\"event\":\"sunrise\",\"latitude\":\"48.85\","
                + "\"longitude\":\"2.35\"}}");
        assertEquals(200, created.status, created.text());
        assertEquals(200, admin.change("POST", "/api/schedules/solar-report/run", null).status);
        try (Scheduler other = Scheduler.builder().taskq(taskq).store(backend.scheduleStore())
                .leases(backend.leases()).build()) {
            assertEquals("solar", other.entry("solar-report").orElseThrow().task().schedule().toSpec().kind());
            assertEquals(1, other.entry("solar-report").orElseThrow().totalRunCount());
            assertTrue(other.audit(10).stream().filter(a -> a.entry().equals("solar-report"))
                    .allMatch(a -> a.actor().equals("dashboard:maria")));
            assertEquals("run-now", other.audit(1).get(0).action());
        }
    }
}
