package io.taskq.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.RateLimit;
import io.taskq.TaskHandle;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.WorkerInfo;
import io.taskq.WorkerOptions;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBackend;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.LimitStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless Chromium), over a real Redis with real workers and a running
 * scheduler, as an operator uses it: log in, find a task, resubmit a dead letter, create a cron schedule and see it
 * fire, pause a queue, set and clear limits. It writes a screenshot of every page to docs/dashboard/ (docs/dashboard.md shows them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    @RegisterExtension
    static final PerClassRedis redis = new PerClassRedis();

    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final Path SHOTS = Path.of(System.getProperty("taskq.dashboard.screenshots",
            "../docs/dashboard"));
    private static final TestTasks TASKS = new TestTasks();

    private static RedisBackend backend;
    private static Taskq taskq;
    private static Scheduler scheduler;
    private static TaskqDashboard dashboard;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static final List<String> submitted = new ArrayList<>();

    @BeforeAll
    static void start() {
        backend = RedisBackend.builder().uri(redis.url()).keyPrefix("dash" + UUID.randomUUID().toString()
                .substring(0, 6)).build();
        taskq = Taskq.builder().broker(backend.broker()).tasks(TASKS).argsRepr(200).build();
        taskq.startWorker(WorkerOptions.builder().nodeName("web-node-1").queues("default", "reports")
                .concurrency(4).heartbeatInterval(Duration.ofSeconds(1)).build());
        taskq.startWorker(WorkerOptions.builder().nodeName("mail-node-1").queues("mail").concurrency(2)
                .heartbeatInterval(Duration.ofSeconds(1)).build());
        scheduler = Scheduler.builder().taskq(taskq).store(backend.scheduleStore()).leases(backend.leases())
                .maxSleep(Duration.ofMillis(500)).build().start();
        dashboard = TaskqDashboard.builder().taskq(taskq).scheduler(scheduler).port(0)
                .user("ops", PASSWORD, DashboardRole.ADMIN).build().start();
        chromium = new HeadlessChromium();
        browser = chromium.driver;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {chromium, dashboard, scheduler, taskq, backend}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    private static WebDriverWait waiting() {
        // A live refresh may replace an element between finding and reading it: look again.
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class);
    }

    private static void open(String hash) {
        browser.get(dashboard.uri() + hash);
        waiting().until(d -> ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.body.dataset.page || ''").toString().length() > 0
                || !d.findElements(By.id("login-form")).isEmpty());
    }

    private static WebElement element(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Does something to the page again if a live refresh replaced an element under it. */
    private static void act(Runnable action) {
        waiting().until(d -> {
            action.run();
            return true;
        });
    }

    private static void shot(String name) {
        chromium.screenshot(SHOTS.resolve(name + ".png"));
    }


    @Test
    @Order(1)
    void logsIn() throws InterruptedException {
        for (int i = 0; i < 30; i++) {
            submitted.add(taskq.submit("dash.add", i, i * 2).id());
        }
        for (int i = 0; i < 5; i++) {
            taskq.submit("dash.boom", "order-" + i);
        }
        Await.until("the tasks ran", () -> taskq.handle(submitted.get(29)).state() == TaskState.SUCCESS
                && taskq.stats("default").dead() == 5);
        browser.get(dashboard.uri().toString());
        element(By.id("login-user")).sendKeys("ops");
        browser.findElement(By.id("login-password")).sendKeys("wrong");
        browser.findElement(By.id("login-submit")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "wrong"));
        browser.findElement(By.id("login-password")).clear();
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        shot("login");
        browser.findElement(By.id("login-submit")).click();
        element(By.id("chart"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "ops (admin)"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
        shot("overview");
    }

    @Test
    @Order(2)
    void findsATaskById() {
        open("#/tasks?queue=default&state=success");
        element(By.id("task-filters"));
        shot("tasks");
        String id = submitted.get(7);
        element(By.id("find-id")).sendKeys(id);
        browser.findElement(By.id("find-submit")).click();
        WebElement fields = element(By.id("task-fields"));
        assertTrue(fields.getText().contains(id), fields.getText());
        assertTrue(fields.getText().contains("SUCCESS"), fields.getText());
        assertEquals("21", element(By.id("task-result")).getText().trim());
        waiting().until(d -> d.findElement(By.tagName("main")).getText().contains("task-succeeded"));
        shot("task");
    }

    @Test
    @Order(3)
    void resubmitsADeadLetter() throws InterruptedException {
        TaskHandle<Object> flaky = taskq.submit("dash.flaky", "order-42");
        Await.until("the dead letter", () -> taskq.queueAdmin().deadLetter("default", flaky.id()).isPresent());
        open("#/task/" + flaky.id());
        WebElement stack = element(By.id("task-stack"));
        assertTrue(stack.getText().contains("payment gateway timed out"), stack.getText());
        shot("task-failed");
        open("#/dead?queue=default");
        By resubmit = By.cssSelector("tr[data-dead='" + flaky.id() + "'] button[data-action='resubmit']");
        element(resubmit);
        shot("dead-letters");
        act(() -> browser.findElement(resubmit).click());
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "done"));
        Await.until("the resubmitted task succeeded", () -> flaky.state() == TaskState.SUCCESS);
        assertEquals("charged order-42", flaky.get(Duration.ofSeconds(5)));
    }

    @Test
    @Order(4)
    void deletesOneDeadLetter() throws InterruptedException {
        String boom = taskq.deadLetters("default", 10).stream().filter(d -> "dash.boom".equals(d.task()))
                .findFirst().orElseThrow().id();
        long before = taskq.stats("default").dead();
        open("#/dead?queue=default");
        By delete = By.cssSelector("tr[data-dead='" + boom + "'] button[data-action='delete']");
        element(delete);
        act(() -> browser.findElement(delete).click());
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "done"));
        Await.until("the dead letter is gone", () -> taskq.queueAdmin().deadLetter("default", boom).isEmpty());
        assertEquals(before - 1, taskq.stats("default").dead());
    }

    @Test
    @Order(5)
    void createsACronScheduleAndSeesItFire() throws InterruptedException {
        open("#/schedules");
        element(By.id("new-entry"));
        act(() -> browser.findElement(By.id("new-entry")).click());
        element(By.id("f-name")).sendKeys("heartbeat-report");
        browser.findElement(By.id("f-task")).sendKeys("dash.tick");
        new Select(browser.findElement(By.id("f-kind"))).selectByValue("cron");
        WebElement expr = browser.findElement(By.id("f-expression"));
        expr.clear();
        expr.sendKeys("61 * * * *");
        element(By.id("preview-error"));
        expr.clear();
        expr.sendKeys("*/5 * * * * *");
        WebElement zone = browser.findElement(By.id("f-zone"));
        zone.clear();
        zone.sendKeys("Europe/Paris");
        browser.findElement(By.id("f-description")).sendKeys("every five seconds");
        waiting().until(d -> d.findElements(By.cssSelector("#preview li")).size() == 5
                && d.findElement(By.id("preview")).getText().contains("Europe/Paris"));
        shot("schedule-form");
        browser.findElement(By.id("save-entry")).click();
        element(By.cssSelector("tr[data-entry='heartbeat-report']"));
        Await.until("the entry fired",
                () -> scheduler.entry("heartbeat-report").orElseThrow().totalRunCount() >= 1);
        String lastRun = scheduler.entry("heartbeat-report").orElseThrow().lastRunId();
        Await.until("its run succeeded", () -> taskq.handle(lastRun).state() == TaskState.SUCCESS);
        open("#/schedules");
        waiting().until(d -> !d.findElement(By.cssSelector("tr[data-entry='heartbeat-report']")).getText()
                .contains("never"));
        act(() -> browser.findElement(By.cssSelector("tr[data-entry='heartbeat-report'] button[data-action='edit']"))
                .click());
        WebElement description = element(By.id("f-description"));
        description.clear();
        description.sendKeys("every ten seconds");
        WebElement expression = browser.findElement(By.id("f-expression"));
        expression.clear();
        expression.sendKeys("*/10 * * * * *");
        waiting().until(d -> d.findElement(By.id("preview")).getText().contains("*/10"));
        browser.findElement(By.id("save-entry")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                "description: every five seconds -> every ten seconds"));
        assertEquals("every ten seconds", scheduler.entry("heartbeat-report").orElseThrow().task().description());
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("dashboard:ops"));
        shot("schedules");
    }

    @Test
    @Order(6)
    void pausesAQueue() throws InterruptedException {
        open("#/queues");
        element(By.cssSelector("tr[data-queue='default']"));
        shot("queues");
        open("#/workers");
        element(By.id("all-queue"));
        act(() -> new Select(browser.findElement(By.id("all-queue"))).selectByValue("mail"));
        act(() -> browser.findElement(By.id("pause-all")).click());
        Await.until("the mail worker paused", () -> taskq.workers().stream()
                .filter(w -> w.nodeName().equals("mail-node-1")).map(WorkerInfo::pausedQueues)
                .anyMatch(p -> p.contains("mail")));
        TaskHandle<Object> held = taskq.submit(io.taskq.TaskRequest.named("dash.add", 1, 1).queue("mail"));
        open("#/workers");
        waiting().until(d -> d.findElement(By.tagName("main")).findElements(By.cssSelector(".badge.paused")).size()
                == 1);
        shot("workers");
        assertEquals(TaskState.PENDING, held.state(), "a paused queue's task waits");
        act(() -> new Select(browser.findElement(By.id("all-queue"))).selectByValue("mail"));
        act(() -> browser.findElement(By.id("resume-all")).click());
        Await.until("the paused task ran once resumed", () -> held.state() == TaskState.SUCCESS);
    }

    @Test
    @Order(7)
    void setsAndClearsALimit() throws InterruptedException {
        open("#/limits");
        element(By.id("limit-rate-form"));
        new Select(browser.findElement(By.id("limit-kind"))).selectByValue("task");
        browser.findElement(By.id("limit-target")).sendKeys("dash.add");
        browser.findElement(By.id("limit-rate")).sendKeys("20/x");
        browser.findElement(By.id("limit-set-rate")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "is not a rate limit"));
        assertTrue(taskq.limits().overrides().isEmpty(), "a bad rate changes nothing");
        WebElement rate = browser.findElement(By.id("limit-rate"));
        rate.clear();
        rate.sendKeys("600/m");
        browser.findElement(By.id("limit-burst")).sendKeys("20");
        browser.findElement(By.id("limit-set-rate")).click();
        element(By.cssSelector("tr[data-limit='task:dash.add']"));
        act(() -> new Select(browser.findElement(By.id("limit-kind"))).selectByValue("queue"));
        element(By.id("limit-target")).sendKeys("mail");
        browser.findElement(By.id("limit-rate")).sendKeys("5/10s");
        browser.findElement(By.id("limit-set-rate")).click();
        element(By.cssSelector("tr[data-limit='queue:mail']"));
        element(By.id("limit-max-task")).sendKeys("dash.tick");
        browser.findElement(By.id("limit-max")).sendKeys("2");
        browser.findElement(By.id("limit-set-max")).click();
        WebElement row = element(By.cssSelector("tr[data-limit='task:dash.tick']"));
        assertTrue(row.getText().contains("2"), row.getText());
        assertEquals(java.util.Map.of(
                        "task:dash.add", new LimitStore.Setting(RateLimit.of(600, Duration.ofMinutes(1)).withBurst(20), 0),
                        "queue:mail", new LimitStore.Setting(RateLimit.of(5, Duration.ofSeconds(10)), 0),
                        "task:dash.tick", new LimitStore.Setting(null, 2)),
                taskq.limits().overrides());
        assertTrue(element(By.cssSelector("tr[data-limit='task:dash.add']")).getText().contains("600/m"));
        shot("limits");
        By clear = By.cssSelector("tr[data-limit='queue:mail'] button[data-action='clear']");
        act(() -> browser.findElement(clear).click());
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-limit='queue:mail']")));
        assertEquals(java.util.Set.of("task:dash.add", "task:dash.tick"), taskq.limits().overrides().keySet());
    }

    @Test
    @Order(20)
    void followsAWorkflowFromAStepToItsRootAndRevokesIt() throws InterruptedException {
        io.taskq.ChainHandle<Object> h = taskq.submit(io.taskq.Chain.of(io.taskq.TaskRequest.named("dash.add", 1, 1))
                .then(io.taskq.Signature.named("dash.add", 5))
                .then(io.taskq.Signature.named("dash.add", 7).countdown(Duration.ofHours(1))));
        String root = h.steps().get(0).id();
        String second = h.steps().get(1).id();
        Await.until("the last step delayed", () -> taskq.workflow(root).size() == 3);
        open("#/task/" + second);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-parent"), root));
        assertTrue(element(By.id("task-root")).getText().contains(root));
        act(() -> element(By.linkText("(all its tasks)")).click());
        waiting().until(d -> d.findElement(By.tagName("main")).getText().contains("Workflow " + root));
        assertEquals(3, browser.findElement(By.tagName("main")).findElements(By.cssSelector("tbody tr")).size());
        open("#/task/" + second);
        act(() -> element(By.id("revoke-workflow")).click());
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        Await.until("the delayed step revoked", () -> taskq.handle(h.id()).state() == TaskState.REVOKED);
    }
}
