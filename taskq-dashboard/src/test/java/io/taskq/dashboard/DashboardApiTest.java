package io.taskq.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.RateLimit;
import io.taskq.Signature;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.LimitStore;
import io.taskq.spi.MemoryBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON API the pages use, on the in-memory broker, and the JDK server that serves it. */
class DashboardApiTest {
    private Taskq taskq;
    private Scheduler scheduler;
    private TaskqDashboard dashboard;
    private Browser local;

    @BeforeEach
    void start() throws IOException {
        taskq = Taskq.builder().broker(MemoryBroker.create()).tasks(new TestTasks()).argsRepr(200).build();
        scheduler = Scheduler.builder().taskq(taskq).build();
        dashboard = TaskqDashboard.builder().taskq(taskq).scheduler(scheduler).port(0).build();
        local = new Browser(dashboard);
        local.session();
    }

    @AfterEach
    void stop() {
        dashboard.close();
        scheduler.close();
        taskq.close();
    }


    @Test
    void theOverviewCountsQueuesAndAnHourOfThroughput() throws Exception {
        taskq.startWorker(WorkerOptions.builder().queues("default").concurrency(2).build());
        String id = taskq.submit("dash.add", 2, 3).id();
        Await.until("done", () -> taskq.handle(id).state() == TaskState.SUCCESS);
        Await.until("counted", () -> {
            try {
                JsonNode o = local.json("/api/overview");
                long ok = 0;
                for (JsonNode p : o.get("throughput")) {
                    ok += p.get("succeeded").asLong();
                }
                return o.get("throughput").size() == 60 && ok == 1 && o.get("workers").asInt() == 1;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void tasksAreListedByPlaceNameAndFinalState() throws Exception {
        for (int i = 0; i < 5; i++) {
            taskq.submit("dash.add", i, i);
        }
        taskq.submit("dash.tick");
        JsonNode all = local.json("/api/tasks?queue=default&state=queued&limit=2");
        assertEquals(2, all.get("tasks").size());
        assertTrue(all.hasNonNull("next"));
        JsonNode ticks = local.json("/api/tasks?queue=default&state=queued&name=dash.tick");
        assertEquals(1, ticks.get("tasks").size());
        assertEquals("dash.tick", ticks.get("tasks").get(0).get("task").asText());

        taskq.startWorker(WorkerOptions.builder().queues("default").build());
        Await.until("all ran", () -> taskq.stats("default").ready() == 0 && taskq.stats("default").inFlight() == 0);
        Await.until("all finished", () -> {
            try {
                return local.json("/api/tasks?queue=default&state=success").get("tasks").size() == 6;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(0, local.json("/api/tasks?queue=default&state=failure").get("tasks").size());
        assertEquals(400, local.get("/api/tasks?queue=default&state=sleeping").status);
        assertEquals(404, local.get("/api/tasks/no-such-id").status);
    }

    @Test
    void aWorkflowIsListedByItsRootShownInTheDetailAndRevokedAsAWhole() throws Exception {
        taskq.startWorker(WorkerOptions.builder().queues("default").build());
        ChainHandle<Object> h = taskq.submit(Chain.of(TaskRequest.named("dash.add", 1, 1))
                .then(Signature.named("dash.add", 5).countdown(Duration.ofHours(1))));
        String root = h.steps().get(0).id();
        Await.until("the second step delayed", () -> taskq.workflow(root).size() == 2);
        JsonNode listed = local.json("/api/tasks?root=" + root);
        assertEquals(root, listed.get("root").asText());
        assertEquals(2, listed.get("tasks").size());
        assertEquals(h.id(), listed.get("tasks").get(0).get("id").asText());
        assertEquals(root, listed.get("tasks").get(0).get("rootId").asText());
        JsonNode first = local.json("/api/tasks/" + root);
        assertEquals(root, first.get("rootId").asText(), "a root is its own root");
        assertTrue(first.get("parentId").isNull());

        JsonNode revoked = local.change("POST", "/api/workflows/" + root + "/revoke", null).json();
        assertEquals(1, revoked.get("revoked").asInt());
        assertEquals(TaskState.REVOKED, taskq.handle(h.id()).state());
        JsonNode step = local.json("/api/tasks/" + h.id());
        assertEquals(root, step.get("rootId").asText());
        assertEquals(root, step.get("parentId").asText());
        assertTrue(step.get("reason").asText().contains("workflow revoked in the dashboard"), step.toString());
        assertEquals(0, local.json("/api/tasks?root=no-such-root").get("tasks").size());
    }

    @Test
    void thePreviewShowsTheNextFireTimesInTheZoneAndExplainsBadSchedules() throws IOException {
        JsonNode cron = local.json("/api/schedules/preview?kind=cron&expression=30+2+*+*+*&zone=Europe/London");
        assertEquals(5, cron.get("fires").size());
        assertEquals("Europe/London", cron.get("zone").asText());
        assertTrue(cron.get("fires").get(0).get("local").asText().contains("02:30:00"), cron.toString());
        JsonNode interval = local.json("/api/schedules/preview?kind=interval&every=PT15M&zone=Asia/Tokyo&count=3");
        assertEquals(3, interval.get("fires").size());
        assertTrue(interval.get("fires").get(0).get("local").asText().contains("Asia/Tokyo"));
        assertEquals(0, local.json("/api/schedules/preview?kind=clocked&at=2001-01-01T00:00:00Z").get("fires")
                .size());
        assertEquals(5, local.json("/api/schedules/preview?kind=solar&event=sunset&latitude=51.5&longitude=-0.12")
                .get("fires").size());

        FakeExchange badCron = local.get("/api/schedules/preview?kind=cron&expression=61+*+*+*+*");
        assertEquals(400, badCron.status);
        assertTrue(badCron.json().get("error").asText().contains("61"), badCron.text());
        assertEquals(400, local.get("/api/schedules/preview?kind=solar&event=sunset&latitude=100&longitude=0").status);
        assertEquals(400, local.get("/api/schedules/preview?kind=weekly").status);
    }

    @Test
    void periodicTasksAreCreatedEditedAndValidated() throws IOException {
        String spec = "\"spec\":{\"kind\":\"interval\",\"every\":\"PT1H\"}";
        FakeExchange bad = local.change("POST", "/api/schedules", "{\"name\":\"r\",\"task\":\"dash.tick\","
                + "\"spec\":{\"kind\":\"cron\",\"expression\":\"0 0 30 2 *\"}}");
        assertEquals(400, bad.status, bad.text());
        assertEquals(400, local.change("POST", "/api/schedules", "{\"name\":\"r\",\"task\":\"dash.tick\","
                + "\"args\":\"{not json\"," + spec + "}").status);
        assertTrue(scheduler.entries().isEmpty());

        assertEquals(200, local.change("POST", "/api/schedules", "{\"name\":\"r\",\"task\":\"dash.tick\","
                + "\"priority\":3,\"expires\":\"10m\"," + spec + "}").status);
        assertEquals(409, local.change("POST", "/api/schedules", "{\"name\":\"r\",\"task\":\"dash.tick\"," + spec
                + "}").status);
        FakeExchange edited = local.change("PUT", "/api/schedules/r", "{\"task\":\"dash.add\",\"args\":\"[1,2]\","
                + "\"spec\":{\"kind\":\"clocked\",\"at\":\"2099-01-01T00:00:00Z\"}}");
        assertEquals(200, edited.status, edited.text());
        String changes = local.json("/api/schedules/audit").get(0).get("changes").toString();
        assertTrue(changes.contains("task: dash.tick -> dash.add"), changes);
        assertTrue(changes.contains("args: [] -> [1,2]"), changes);
        JsonNode r = local.json("/api/schedules/r");
        assertEquals("dash.add", r.get("task").asText());
        assertEquals("clocked", r.get("spec").get("kind").asText());
        assertEquals("[1,2]", r.get("args").asText());
        JsonNode run = local.change("POST", "/api/schedules/r/run", null).json();
        assertEquals(1, local.json("/api/schedules/r").get("totalRunCount").asInt());
        assertTrue(run.hasNonNull("id"));
        assertEquals(200, local.change("DELETE", "/api/schedules/r", null).status);
        assertEquals(404, local.get("/api/schedules/r").status);
    }

    @Test
    void limitsAreListedSetAndClearedWithTheReasonForBadInput() throws IOException {
        JsonNode empty = local.json("/api/limits");
        assertTrue(empty.get("available").asBoolean());
        assertEquals(0, empty.get("overrides").size());

        FakeExchange badRate = local.change("POST", "/api/limits/rate", "{\"task\":\"dash.add\",\"rate\":\"20/x\"}");
        assertEquals(400, badRate.status);
        assertTrue(badRate.json().get("error").asText().contains("'20/x' is not a rate limit"), badRate.text());
        assertEquals(400, local.change("POST", "/api/limits/rate", "{\"rate\":\"20/s\"}").status);
        assertEquals(400, local.change("POST", "/api/limits/rate",
                "{\"task\":\"dash.add\",\"queue\":\"default\",\"rate\":\"20/s\"}").status);
        assertEquals(400, local.change("POST", "/api/limits/rate",
                "{\"task\":\"dash.add\",\"rate\":\"20/s\",\"burst\":\"lots\"}").status);
        assertEquals(400, local.change("POST", "/api/limits/rate",
                "{\"task\":\"dash.add\",\"rate\":\"20/s\",\"burst\":0}").status);
        assertEquals(400, local.change("POST", "/api/limits/concurrency", "{\"task\":\"dash.add\",\"max\":0}")
                .status);
        assertEquals(400, local.change("POST", "/api/limits/concurrency", "{\"queue\":\"default\",\"max\":2}")
                .status);
        assertTrue(taskq.limits().overrides().isEmpty(), "nothing set by a bad request");

        JsonNode rate = local.change("POST", "/api/limits/rate",
                "{\"task\":\"dash.add\",\"rate\":\"600/m\",\"burst\":\"20\"}").json();
        assertEquals("task:dash.add", rate.get("limit").asText());
        assertEquals(60_000, rate.get("rate").get("periodMillis").asLong());
        assertEquals(20, rate.get("rate").get("burst").asInt());
        assertEquals(200, local.change("POST", "/api/limits/rate", "{\"queue\":\"default\",\"rate\":\"5/10s\"}")
                .status);
        assertEquals(3, local.change("POST", "/api/limits/concurrency", "{\"task\":\"dash.tick\",\"max\":3}")
                .json().get("maxRunning").asInt());
        assertEquals(Map.of("task:dash.add", new LimitStore.Setting(RateLimit.of(600, Duration.ofMinutes(1))
                        .withBurst(20), 0), "queue:default", new LimitStore.Setting(RateLimit.parse("5/10s"), 0),
                "task:dash.tick", new LimitStore.Setting(null, 3)), taskq.limits().overrides());
        JsonNode listed = local.json("/api/limits").get("overrides");
        assertEquals(3, listed.size());
        for (JsonNode o : listed) {
            if (o.get("limit").asText().equals("queue:default")) {
                assertEquals("queue", o.get("kind").asText());
                assertEquals("default", o.get("name").asText());
                assertTrue(o.get("maxRunning").isNull());
            }
        }

        assertTrue(local.change("POST", "/api/limits/clear", "{\"queue\":\"default\"}").json().get("cleared")
                .asBoolean());
        assertEquals(404, local.change("POST", "/api/limits/clear", "{\"queue\":\"default\"}").status);
        assertEquals(java.util.Set.of("task:dash.add", "task:dash.tick"), taskq.limits().overrides().keySet());
    }

    @Test
    void purgingNeedsTheQueuesName() throws IOException {
        taskq.submit("dash.add", 1, 1);
        assertEquals(400, local.change("POST", "/api/queues/default/purge", "{}").status);
        assertEquals(400, local.change("POST", "/api/queues/default/purge", "{\"confirm\":\"other\"}").status);
        assertEquals(1, taskq.stats("default").ready());
        assertEquals(1, local.change("POST", "/api/queues/default/purge", "{\"confirm\":\"default\"}").json()
                .get("purged").asInt());
    }

    @Test
    void theJdkServerServesThePagesTheApiAndLiveUpdates() throws Exception {
        dashboard.start();
        HttpClient http = HttpClient.newHttpClient();
        URI base = dashboard.uri();
        assertEquals("127.0.0.1", dashboard.address().getAddress().getHostAddress());
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(base).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("static/app.js"));
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'self'"));
        assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("static/app.js")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("static/nothing.js")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(base.resolve("api/session")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, session.statusCode());
        String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        HttpRequest stream = HttpRequest.newBuilder(base.resolve("api/events/stream")).header("Cookie", cookie).build();
        HttpResponse<Stream<String>> live = http.send(stream, HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream; charset=utf-8", live.headers().firstValue("Content-Type").orElseThrow());
        taskq.submit("dash.add", 4, 4);
        Iterator<String> lines = live.body().iterator();
        CompletableFuture<String> tick = CompletableFuture.supplyAsync(() -> {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data: ") && line.contains("task-sent")) {
                    return line;
                }
            }
            return null;
        });
        String data = tick.get(20, TimeUnit.SECONDS);
        assertTrue(data.contains("dash.add"), data);
        live.body().close();
    }
}
