package io.taskq.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.LimitStore;
import io.taskq.spi.MemoryBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's security rules on the in-memory broker: who may connect, log in, see arguments and change
 * anything, and what the audit trail records.
 */
class DashboardSecurityTest {
    private static final String ADMIN_PW = "admin-secret-1";
    private static final String VIEWER_PW = "viewer-secret-2";

    private Taskq taskq;
    private Scheduler scheduler;
    private TaskqDashboard dashboard;

    @BeforeEach
    void start() {
        taskq = Taskq.builder().broker(MemoryBroker.create()).tasks(new TestTasks()).argsRepr(200).build();
        taskq.startWorker(WorkerOptions.builder().nodeName("sec-node").queues("default").concurrency(1)
                .heartbeatInterval(Duration.ofSeconds(1)).build());
        scheduler = Scheduler.builder().taskq(taskq).build();
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        scheduler.close();
        taskq.close();
    }

    private TaskqDashboard withUsers(boolean showArgs) {
        dashboard = TaskqDashboard.builder().taskq(taskq).scheduler(scheduler)
                .user("alice", ADMIN_PW, DashboardRole.ADMIN)
                .user("victor", "{sha256}" + sha256Hex(VIEWER_PW), DashboardRole.READ_ONLY)
                .showArgumentsToReadOnly(showArgs).build();
        return dashboard;
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }


    private String deadLetter(String secret) throws InterruptedException {
        String id = taskq.submit("dash.boom", secret).id();
        Await.until("dead letter " + id,
                () -> taskq.deadLetters("default", 100).stream().anyMatch(d -> d.id().equals(id)));
        return id;
    }

    @Test
    void aNonLoopbackBindWithoutUsersIsRefused() {
        dashboard = TaskqDashboard.builder().taskq(taskq).bindAddress("0.0.0.0").port(0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, dashboard::start);
        assertTrue(e.getMessage().contains("without authentication"), e.getMessage());
    }

    @Test
    void withoutUsersOnlyLoopbackClientsNamingALoopbackHostAreServed() throws IOException {
        dashboard = TaskqDashboard.builder().taskq(taskq).build();
        Browser local = new Browser(dashboard);
        assertEquals(200, local.session().status);
        assertEquals("ADMIN", local.json("/api/session").get("role").asText());
        assertEquals(200, local.get("/api/queues").status);

        FakeExchange remote = new Browser(dashboard).send(new FakeExchange("GET", "/api/session").from("10.1.2.3"));
        assertEquals(403, remote.status);
        FakeExchange page = new Browser(dashboard).send(new FakeExchange("GET", "/").from("192.168.0.7"));
        assertEquals(403, page.status);
        // DNS rebinding: a loopback connection that names another host.
        FakeExchange rebound = new Browser(dashboard).send(new FakeExchange("GET", "/api/session")
                .header("Host", "evil.example:5555"));
        assertEquals(403, rebound.status);
    }

    @Test
    void withUsersEveryApiCallNeedsALogin() throws IOException {
        withUsers(false);
        Browser b = new Browser(dashboard);
        assertEquals(401, b.get("/api/queues").status);
        assertEquals(401, b.session().status);
        assertEquals(401, b.login("alice", "wrong").status);
        assertEquals(401, b.login("nobody", ADMIN_PW).status);
        assertEquals(401, b.get("/api/queues").status);
        FakeExchange ok = b.login("alice", ADMIN_PW);
        assertEquals(200, ok.status, ok.text());
        String cookie = ok.responseHeaders.get("Set-Cookie");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(ok.text().contains(ADMIN_PW));
        assertEquals(200, b.get("/api/queues").status);
        assertEquals(200, b.login("victor", VIEWER_PW).status);
        // Pages (the login form's) are served without a session; their data is not.
        assertEquals(200, new Browser(dashboard).get("/").status);
    }

    @Test
    void repeatedFailedLoginsAreRefusedForAWhile() throws IOException {
        SettableClock clock = new SettableClock();
        dashboard = TaskqDashboard.builder().taskq(taskq).clock(clock).user("alice", ADMIN_PW, DashboardRole.ADMIN)
                .build();
        Browser b = new Browser(dashboard);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, b.login("alice", "guess-" + i).status);
        }
        assertEquals(429, b.login("alice", ADMIN_PW).status, "even the right password, for a while");
        Browser elsewhere = new Browser(dashboard);
        assertEquals(429, elsewhere.send(new FakeExchange("POST", "/api/login").from("127.0.0.2")
                .json("{\"user\":\"alice\",\"password\":\"" + ADMIN_PW + "\"}")).status, "the name is throttled");
        clock.advance(Duration.ofMinutes(16));
        assertEquals(200, b.login("alice", ADMIN_PW).status);
    }

    /** A clock the test moves. */
    private static final class SettableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void aLoginFromAnotherOriginIsRefused() {
        withUsers(false);
        FakeExchange ex = new Browser(dashboard).send(new FakeExchange("POST", "/api/login")
                .json("{\"user\":\"alice\",\"password\":\"" + ADMIN_PW + "\"}")
                .header("Origin", "http://evil.example"));
        assertEquals(403, ex.status);
    }

    @Test
    void aReadOnlyUserCannotChangeAnything() throws Exception {
        withUsers(false);
        taskq.submit("dash.add", 1, 2);
        String dead = deadLetter("s3cret");
        Browser viewer = new Browser(dashboard);
        viewer.login("victor", VIEWER_PW);
        assertEquals(403, viewer.change("POST", "/api/queues/default/purge", "{\"confirm\":\"default\"}").status);
        assertEquals(403, viewer.change("POST", "/api/dead/default/resubmit", "{\"id\":\"" + dead + "\"}").status);
        assertEquals(403, viewer.change("POST", "/api/dead/default/delete", "{\"id\":\"" + dead + "\"}").status);
        assertEquals(403, viewer.change("POST", "/api/workers/pause", "{\"queue\":\"default\"}").status);
        String queued = taskq.submit(io.taskq.TaskRequest.named("dash.add", 3, 4).queue("parked")).id();
        assertEquals(403, viewer.change("POST", "/api/workflows/" + queued + "/revoke", null).status);
        assertEquals(io.taskq.TaskState.PENDING, taskq.handle(queued).state(), "the workflow is not revoked");
        assertEquals(403, viewer.change("POST", "/api/schedules", "{\"name\":\"x\",\"task\":\"dash.tick\","
                + "\"spec\":{\"kind\":\"cron\",\"expression\":\"* * * * *\"}}").status);
        taskq.limits().setRate(io.taskq.Limits.task("dash.add"), io.taskq.RateLimit.parse("5/s"));
        assertEquals(403, viewer.change("POST", "/api/limits/rate", "{\"task\":\"dash.add\",\"rate\":\"1/d\"}")
                .status);
        assertEquals(403, viewer.change("POST", "/api/limits/concurrency", "{\"task\":\"dash.add\",\"max\":1}")
                .status);
        assertEquals(403, viewer.change("POST", "/api/limits/clear", "{\"task\":\"dash.add\"}").status);
        assertTrue(taskq.queueAdmin().deadLetter("default", dead).isPresent(), "the dead letter is still there");
        assertTrue(scheduler.entries().isEmpty());
        assertEquals(Map.of("task:dash.add", new LimitStore.Setting(io.taskq.RateLimit.parse("5/s"), 0)),
                taskq.limits().overrides());
        // Reading is allowed.
        assertEquals(200, viewer.get("/api/dead?queue=default").status);
        assertEquals("task:dash.add", viewer.json("/api/limits").get("overrides").get(0).get("limit").asText());
    }

    @Test
    void aChangeWithoutTheCsrfTokenOrFromAnotherOriginIsRefused() throws Exception {
        withUsers(false);
        String dead = deadLetter("abc");
        Browser admin = new Browser(dashboard);
        admin.login("alice", ADMIN_PW);
        String body = "{\"id\":\"" + dead + "\"}";
        String path = "/api/dead/default/resubmit";
        FakeExchange noToken = admin.change("POST", path, body, ex -> ex.header("X-Taskq-Csrf", null));
        String queued = taskq.submit(io.taskq.TaskRequest.named("dash.add", 3, 4).queue("parked")).id();
        assertEquals(403, admin.change("POST", "/api/workflows/" + queued + "/revoke", null,
                ex -> ex.header("X-Taskq-Csrf", null)).status, "a workflow revoke needs the token too");
        assertEquals(io.taskq.TaskState.PENDING, taskq.handle(queued).state());
        assertEquals(403, noToken.status, noToken.text());
        assertEquals(403, admin.change("POST", path, body, ex -> ex.header("X-Taskq-Csrf", "forged")).status);
        assertEquals(403, admin.change("POST", path, body, ex -> ex.header("Origin", "http://evil.example")).status);
        assertTrue(taskq.queueAdmin().deadLetter("default", dead).isPresent(), "nothing changed yet");
        FakeExchange ok = admin.change("POST", path, body, ex -> ex.header("Origin", "http://127.0.0.1:5555"));
        assertEquals(200, ok.status, ok.text());

        String rate = "{\"task\":\"dash.add\",\"rate\":\"1/d\"}";
        assertEquals(403, admin.change("POST", "/api/limits/rate", rate, ex -> ex.header("X-Taskq-Csrf", null)).status);
        assertEquals(403, admin.change("POST", "/api/limits/rate", rate,
                ex -> ex.header("Origin", "http://evil.example")).status);
        assertTrue(taskq.limits().overrides().isEmpty(), "no limit changed");
    }

    @Test
    void theLoopbackSessionNeedsTheCsrfTokenToo() throws Exception {
        dashboard = TaskqDashboard.builder().taskq(taskq).build();
        Browser local = new Browser(dashboard);
        local.session();
        assertEquals(403, local.change("POST", "/api/queues/default/purge", "{\"confirm\":\"default\"}",
                ex -> ex.header("X-Taskq-Csrf", null)).status);
        assertEquals(200, local.change("POST", "/api/queues/default/purge", "{\"confirm\":\"default\"}").status);
    }

    @Test
    void argumentsAreHiddenFromReadOnlyUsersUnlessConfigured() throws Exception {
        withUsers(false);
        String dead = deadLetter("top-secret-value");
        Browser viewer = new Browser(dashboard);
        viewer.login("victor", VIEWER_PW);
        JsonNode list = viewer.json("/api/dead?queue=default");
        assertTrue(list.get("bodyHidden").asBoolean());
        assertFalse(list.toString().contains("top-secret-value"), list.toString());
        JsonNode task = viewer.json("/api/tasks/" + dead);
        assertTrue(task.get("argsHidden").asBoolean());
        assertFalse(task.toString().contains("top-secret-value"), task.toString());

        Browser admin = new Browser(dashboard);
        admin.login("alice", ADMIN_PW);
        assertTrue(admin.json("/api/dead?queue=default").toString().contains("top-secret-value"));
        assertTrue(admin.json("/api/tasks/" + dead).get("args").toString().contains("top-secret-value"));
        dashboard.close();

        withUsers(true);
        Browser shown = new Browser(dashboard);
        shown.login("victor", VIEWER_PW);
        assertTrue(shown.json("/api/tasks/" + dead).get("args").toString().contains("top-secret-value"));
    }

    @Test
    void theAuditTrailRecordsTheAuthenticatedUser() throws Exception {
        withUsers(false);
        Browser admin = new Browser(dashboard);
        admin.login("alice", ADMIN_PW);
        FakeExchange created = admin.change("POST", "/api/schedules", "{\"name\":\"nightly\",\"task\":\"dash.tick\","
                + "\"spec\":{\"kind\":\"cron\",\"expression\":\"30 2 * * *\",\"zone\":\"Europe/London\"}}");
        assertEquals(200, created.status, created.text());
        assertEquals(200, admin.change("POST", "/api/schedules/nightly/disable", null).status);
        assertEquals("dashboard:alice", scheduler.audit(10).get(0).actor());
        assertEquals("disable", scheduler.audit(10).get(0).action());
        assertEquals("add", scheduler.audit(10).get(1).action());
        assertEquals("dashboard:alice", admin.json("/api/schedules/audit").get(0).get("actor").asText());
    }

    @Test
    void aLogoutEndsTheSession() throws IOException {
        withUsers(false);
        Browser b = new Browser(dashboard);
        b.login("alice", ADMIN_PW);
        assertEquals(200, b.change("POST", "/api/logout", null).status);
        assertEquals(401, b.get("/api/queues").status);
    }

    @Test
    void usersNeedANameAndAPassword() {
        TaskqDashboard.Builder b = TaskqDashboard.builder();
        assertThrows(IllegalArgumentException.class, () -> b.user("", "x", DashboardRole.ADMIN));
        assertThrows(IllegalArgumentException.class, () -> b.user("a", "", DashboardRole.ADMIN));
        assertThrows(IllegalArgumentException.class, () -> b.user("a", "{sha256}abc", DashboardRole.ADMIN));
        assertThrows(IllegalStateException.class, b::build);
    }
}
