package io.taskq.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every example runs to the end on the in-memory default and prints what it promises. */
class ExamplesTest {

    private static String run(ThrowingMain main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    interface ThrowingMain {
        void run() throws Exception;
    }

    @Test
    void quickStart() throws Exception {
        assertTrue(run(() -> QuickStartExample.main(new String[0])).contains("Hello, Ada!"));
    }

    @Test
    void retries() throws Exception {
        String out = run(() -> RetriesExample.main(new String[0]));
        assertTrue(out.contains("charged 1999 to acct-1"), out);
        assertTrue(out.contains("settled on attempt 3"), out);
        assertTrue(out.contains("refund failed for good"), out);
        assertTrue(out.contains("dead letters: 1"), out);
    }

    @Test
    void countdownAndExpiry() throws Exception {
        String out = run(() -> CountdownAndExpiryExample.main(new String[0]));
        assertTrue(out.contains("reminded: in a second"), out);
        assertTrue(out.contains("reminded: at a given instant"), out);
        assertTrue(out.contains("not run: expired"), out);
    }

    @Test
    void prioritiesAndRouting() throws Exception {
        String out = run(() -> PrioritiesAndRoutingExample.main(new String[0]));
        assertTrue(out.contains("bulk:urgent0"), out);
        assertTrue(out.contains("interactive:rerouted"), out);
    }

    @Test
    void timeLimits() throws Exception {
        String out = run(() -> TimeLimitsExample.main(new String[0]));
        assertTrue(out.contains("sleep: io.taskq.TaskTimeLimitExceededException"), out);
        assertTrue(out.contains("abandoned threads: 1"), out);
        assertTrue(out.contains("quick work still runs"), out);
    }

    @Test
    void revoke() throws Exception {
        String out = run(() -> RevokeExample.main(new String[0]));
        assertTrue(out.contains("delayed: REVOKED"), out);
        assertTrue(out.contains("running: REVOKED"), out);
        assertTrue(out.contains("revoked before submit: REVOKED"), out);
    }

    @Test
    void periodicTasks() throws Exception {
        String out = run(() -> PeriodicTasksExample.main(new String[0]));
        assertTrue(out.contains("audit: update heartbeat by ops@example.com"), out);
        assertTrue(out.contains("audit: disable heartbeat by ops@example.com"), out);
        assertTrue(out.contains("weekday-report next run"), out);
    }

    @Test
    void twoEnvironmentsOnOneRedis() throws Exception {
        try (io.taskq.redis.RedisTestServer redis = io.taskq.redis.RedisTestServer.start()) {
            String out = run(() -> TwoEnvironmentsExample.main(new String[] {redis.url()}));
            assertTrue(out.contains("invoice-run ran in live"), out);
            assertTrue(out.contains("test-run ran in uat"), out);
            assertTrue(out.contains("live ran [invoice-run], uat ran [test-run]"), out);
            assertTrue(out.contains("uat sees live's task: UNKNOWN"), out);
        }
    }

    @Test
    void groups() throws Exception {
        String out = run(() -> GroupExample.main(new String[0]));
        assertTrue(out.contains("thumbnails: [a.png.thumb, b.png.thumb, c.png.thumb]"), out);
        assertTrue(out.contains("uploaded: [s3://thumbs/d.png.thumb, s3://thumbs/e.png.thumb]"), out);
        assertTrue(out.contains("partial: [f.png.thumb, null], failed members [1], states [SUCCESS, FAILURE]"), out);
    }

    @Test
    void chords() throws Exception {
        String out = run(() -> ChordExample.main(new String[0]));
        assertTrue(out.contains("regions [5000, 5000, 4000] EUR"), out);
        assertTrue(out.contains("total: 14000"), out);
        assertTrue(out.contains("alert sales-team: taskq.ChordError"), out);
        assertTrue(out.contains("chord failed: taskq.ChordError"), out);
        assertTrue(out.contains("month: published 10000"), out);
    }

    @Test
    void workflows() throws Exception {
        String out = run(() -> WorkflowsExample.main(new String[0]));
        assertTrue(out.contains(": o-17: 4200 cents"), out);
        assertTrue(out.contains("billing.price root the first step"), out);
        assertTrue(out.contains("billing.report root the first step, after another step"), out);
    }

    @Test
    void progressAndSoftTimeLimit() throws Exception {
        String out = run(() -> ProgressExample.main(new String[0]));
        assertTrue(out.contains("convert PROGRESS "), out);
        assertTrue(out.contains("converted 20 files"), out);
        assertTrue(out.contains("indexed some documents before the soft limit, then returned"), out);
    }

    @Test
    void rateLimits() throws Exception {
        String out = run(() -> RateLimitsExample.main(new String[0]));
        assertTrue(out.contains("asked twice: one task true"), out);
        assertTrue(out.contains("synced 20 accounts"), out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("at most (\\d+) ran at once").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) <= 5, out);
        assertTrue(out.contains("mail.send now: 20/1000ms"), out);
        assertTrue(out.contains("back to its declared rate: true"), out);
    }
}
