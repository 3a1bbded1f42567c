package io.taskq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree, its exit codes and its output without a Redis. */
class TaskqCliTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TaskqCli.execute(args, new PrintWriter(out), new PrintWriter(err), env, q -> Optional.empty());
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine cmd = TaskqCli.commandLine(Map.of(), q -> Optional.empty());
        List<String> paths = List.of("workers", "queues", "task", "revoke", "tasks", "events", "generate-completion",
                "dead list", "dead resubmit", "dead purge", "schedule list", "schedule show", "schedule add",
                "schedule edit", "schedule enable", "schedule disable", "schedule delete", "schedule run",
                "schedule audit", "dead delete", "purge", "inspect ping", "inspect active", "inspect reserved",
                "inspect registered", "inspect stats", "control pause", "control resume", "control concurrency",
                "control shutdown", "limits list", "limits rate", "limits concurrency", "limits clear");
        for (String path : paths) {
            Run r = run(Map.of(), (path + " --help").split(" "));
            assertEquals(0, r.exit(), path);
            assertTrue(r.out().startsWith("Usage: taskq " + path), path + ": " + r.out());
            assertTrue(r.out().contains("Exit codes:"), path);
        }
        assertTrue(cmd.getSubcommands().keySet().containsAll(List.of("workers", "dead", "schedule", "events", "purge",
                "inspect", "control", "limits")));
        Run top = run(Map.of(), "--help");
        assertTrue(top.out().contains("TASKQ_REDIS_URL") && top.out().contains("--env-file"), top.out());
        assertTrue(top.out().contains("generate-completion"), top.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run(Map.of()).exit());
        assertEquals(2, run(Map.of(), "dead").exit());
        assertEquals(2, run(Map.of(), "schedule").exit());
        assertEquals(2, run(Map.of(), "nope").exit());
        assertEquals(2, run(Map.of(), "tasks", "q", "--state", "somewhere").exit());
        assertEquals(2, run(Map.of(), "task").exit());
        assertEquals(2, run(Map.of(), "tasks").exit(), "a queue or --root");
        assertEquals(2, run(Map.of(), "tasks", "q", "--root", "r").exit(), "not both");
        assertEquals(2, run(Map.of(), "revoke").exit(), "an id or --root");
        assertEquals(2, run(Map.of(), "revoke", "id", "--root", "r").exit(), "not both");
        assertEquals(2, run(Map.of(), "workers", "--wait", "soon").exit());
        Run noRedis = run(Map.of(), "--json", "queues");
        assertEquals(2, noRedis.exit());
        assertTrue(noRedis.err().contains("no Redis configured"), noRedis.err());
    }

    @Test
    void limitChangesThatAreNoChangeAreUsageErrorsWithTheReason() {
        Map<String, String> env = Map.of("TASKQ_REDIS_URL", "redis://127.0.0.1:1/0");
        Run badRate = run(env, "limits", "rate", "mail.send", "20/x", "--yes");
        assertEquals(2, badRate.exit(), badRate.err());
        assertTrue(badRate.err().contains("'20/x' is not a rate limit (use e.g. 100/s, 10/m, 5/10s)"), badRate.err());
        assertTrue(badRate.err().contains("taskq limits rate"), badRate.err());
        Run badBurst = run(env, "limits", "rate", "mail.send", "20/s", "--burst", "0", "--yes");
        assertEquals(2, badBurst.exit(), badBurst.err());
        assertTrue(badBurst.err().contains("burst must be at least 1"), badBurst.err());
        Run tooFast = run(env, "limits", "rate", "--queue", "mail", "2000/ms", "--yes");
        assertEquals(2, tooFast.exit(), tooFast.err());
        assertTrue(tooFast.err().contains("at most one start per microsecond"), tooFast.err());
        Run both = run(env, "limits", "rate", "--queue", "mail", "mail.send", "20/s");
        assertEquals(2, both.exit(), both.err());
        assertTrue(both.err().contains("give only the rate"), both.err());
        Run noRate = run(env, "limits", "rate", "mail.send");
        assertEquals(2, noRate.exit(), noRate.err());
        assertEquals(2, run(env, "limits", "rate", " ", "20/s").exit());
        Run zero = run(env, "limits", "concurrency", "report.build", "0");
        assertEquals(2, zero.exit(), zero.err());
        assertTrue(zero.err().contains("N must be at least 1, was 0"), zero.err());
        assertEquals(2, run(env, "limits", "concurrency", "report.build", "many").exit());
        assertEquals(2, run(env, "limits", "clear").exit());
        assertEquals(2, run(env, "limits", "clear", "mail.send", "--queue", "mail").exit());
        assertEquals(2, run(env, "limits").exit());
    }

    @Test
    void aLimitsJsonViewHasTheRateAsTextAndParts() {
        Map<String, Object> v = LimitsCommand.view("task:mail.send",
                new io.taskq.spi.LimitStore.Setting(io.taskq.RateLimit.parse("20/s").withBurst(5), 0));
        assertEquals("{\"limit\":\"task:mail.send\",\"rate\":{\"text\":\"20/s\",\"permits\":20,"
                + "\"period\":\"PT1S\",\"burst\":5},\"maxRunning\":null}", Output.toJson(v, false));
        assertEquals("{\"limit\":\"task:report.build\",\"rate\":null,\"maxRunning\":2}",
                Output.toJson(LimitsCommand.view("task:report.build", new io.taskq.spi.LimitStore.Setting(null, 2)),
                        false));
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        for (String[] args : List.of(new String[] {"--prefix", "live", "--json", "dead", "list", "q"},
                new String[] {"dead", "list", "q", "--json", "--prefix", "live"},
                new String[] {"dead", "--prefix", "live", "list", "--json", "q"})) {
            TaskqCli cli = cliParsing(args);
            assertEquals("live", cli.options.keyPrefix, String.join(" ", args));
            assertTrue(cli.options.json, String.join(" ", args));
        }
    }

    private static TaskqCli cliParsing(String... args) {
        CommandLine cmd = TaskqCli.commandLine(Map.of(), q -> Optional.empty());
        cmd.parseArgs(args);
        return cmd.getCommand();
    }

    @Test
    void theVersionIsTheBuilds() {
        Run r = run(Map.of(), "--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().matches("taskq \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*\\)\\R"), r.out());
    }

    @Test
    void generatesACompletionScript() {
        Run r = run(Map.of(), "generate-completion");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("complete -F") && r.out().contains("taskq"), r.out());
        assertTrue(r.out().contains("schedule") && r.out().contains("resubmit"));
    }

    @Test
    void aConnectionFailureExitsOneWithoutThePassword() {
        Run r = run(Map.of("TASKQ_REDIS_URL", "redis://uat:very-secret@127.0.0.1:1/0"), "workers", "--wait", "0s");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("taskq: "), r.err());
        assertFalse(r.err().contains("very-secret"), r.err());
    }

    @Test
    void destructiveCommandsNeedYesWithoutATerminal() {
        Output out = new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false,
                q -> Optional.empty());
        assertTrue(out.confirm(true, "delete everything"));
        CliFailure f = org.junit.jupiter.api.Assertions.assertThrows(CliFailure.class,
                () -> out.confirm(false, "delete everything"));
        assertEquals(ExitCode.USAGE, f.exitCode());
        assertTrue(f.getMessage().contains("--yes"));
        Output yes = new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false,
                q -> Optional.of("y"));
        assertTrue(yes.confirm(false, "delete"));
        Output no = new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false,
                q -> Optional.of(""));
        assertFalse(no.confirm(false, "delete"));
    }

    @Test
    void eventLinesLeadWithTheTaskAndQuoteWhatNeedsIt() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("runtime", "0.012");
        fields.put("queue", "default");
        fields.put("id", "t1");
        fields.put("exception", "java.lang.IllegalStateException: \"bad\" input");
        fields.put("name", "it.add");
        Event e = Event.of(Event.TASK_FAILED, Instant.parse("2026-01-01T12:00:00.123Z"), fields).at("1767268800123-0");
        assertEquals("2026-01-01T12:00:00.123Z task-failed 1767268800123-0 id=t1 name=it.add queue=default"
                + " exception=\"java.lang.IllegalStateException: \\\"bad\\\" input\" runtime=0.012",
                EventsCommand.line(e));
        assertEquals("\"\"", EventsCommand.quote(""));
        assertEquals("\"a\\nb\"", EventsCommand.quote("a\nb"));
    }

    @Test
    void jsonViewsAreMapsWithoutTypeInformation() {
        String json = Output.toJson(Views.event(Event.of(Event.TASK_SENT, Instant.parse("2026-01-01T00:00:00Z"),
                Map.of("id", "t1")).at("1-0")), false);
        assertEquals("{\"position\":\"1-0\",\"type\":\"task-sent\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"fields\":{\"id\":\"t1\"}}", json);
        assertEquals(List.of(1, 2), Output.mapper().convertValue(Views.json("[1,2]"), List.class));
        assertEquals("not json", Views.json("not json"));
    }

    @Test
    void fieldsForPeopleAreAlignedAndSkipWhatIsEmpty() {
        StringWriter s = new StringWriter();
        Output out = new Output(new PrintWriter(s), new PrintWriter(new StringWriter()), false, q -> Optional.empty());
        out.printFields(Views.of("id", "t1", "reason", null, "updatedAt", Instant.parse("2026-01-01T00:00:00.5Z"),
                "error", Views.of("type", "x.Boom", "stackTrace", "at a\nat b")));
        assertEquals("id:               t1\n"
                + "updatedAt:        2026-01-01T00:00:00Z\n"
                + "error.type:       x.Boom\n"
                + "error.stackTrace: at a\n"
                + "                  at b\n", s.toString().replace(System.lineSeparator(), "\n"));
    }
}
