package io.taskq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.Control;
import io.taskq.DeadLetterFilter;
import io.taskq.QueueStats;
import io.taskq.WorkerTask;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The formats of inspect, control, purge and the dead-letter filters, and their command lines, without a Redis. */
class InspectAndControlTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private static String print(Table t) {
        StringWriter s = new StringWriter();
        t.print(new PrintWriter(s));
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    private static Map<String, Control.Reply<List<WorkerTask>>> replies(List<WorkerTask> a, String args) {
        Map<String, Control.Reply<List<WorkerTask>>> m = new LinkedHashMap<>();
        m.put("1@h#1", new Control.Reply<>("1@h#1", "node-a", a, null));
        m.put("2@h#1", new Control.Reply<>("2@h#1", "node-b", null, "unknown command 'active'"));
        m.put("3@h#1", new Control.Reply<>("3@h#1", "node-c", List.of(), null));
        return m;
    }

    @Test
    void activeTasksAreOneTableWithTheirNodeAndArgsOnlyWhenShown() {
        WorkerTask running = new WorkerTask("t1", "it.add", "default", 2, T0, Duration.ofMillis(4200), null);
        assertEquals("NODE    ID  TASK    QUEUE    RUNTIME  ATTEMPT\n"
                + "node-a  t1  it.add  default  4s       2\n",
                print(InspectCommand.taskTable(replies(List.of(running), null), true)));

        WorkerTask withArgs = new WorkerTask("t2", "it.add", "default", 1, null, null, "[1,2]");
        assertEquals("NODE    ID  TASK    QUEUE    ATTEMPT  ARGS\n"
                + "node-a  t2  it.add  default  1        [1,2]\n",
                print(InspectCommand.taskTable(replies(List.of(withArgs), null), false)));
    }

    @Test
    void controlLinesNameTheWorkerAndItsErrors() {
        Control.Reply<Integer> ok = new Control.Reply<>("1@h#1", "node-a", 4, null);
        assertEquals("node-a (1@h#1): concurrency 4 -> 8",
                ControlCommand.line(ok, b -> "concurrency " + b + " -> 8"));
        Control.Reply<Integer> failed = new Control.Reply<>("1@h#1", "node-a", null, "queue 'x' is not consumed");
        assertEquals("node-a (1@h#1): error: queue 'x' is not consumed", ControlCommand.line(failed, b -> "?"));
    }

    @Test
    void repliesAsJsonHaveWorkerNodeOkValueAndError() {
        Control.Reply<List<WorkerTask>> r = new Control.Reply<>("1@h#1", "node-a", List.of(new WorkerTask("t1",
                "it.add", "q", 1, T0, Duration.ofSeconds(3), "[1]")), null);
        assertEquals("{\"worker\":\"1@h#1\",\"node\":\"node-a\",\"ok\":true,\"value\":[{\"id\":\"t1\",\"name\":"
                + "\"it.add\",\"queue\":\"q\",\"attempt\":1,\"startedAt\":\"2026-01-01T12:00:00Z\","
                + "\"runtime\":\"PT3S\",\"args\":\"[1]\"}],\"error\":null}",
                Output.toJson(Views.reply(r, v -> v.stream().map(Views::workerTask).toList()), false));
        Control.Reply<Boolean> e = new Control.Reply<>("1@h#1", "node-a", null, "boom");
        assertEquals("{\"worker\":\"1@h#1\",\"node\":\"node-a\",\"ok\":false,\"value\":null,\"error\":\"boom\"}",
                Output.toJson(Views.reply(e, v -> v), false));
    }

    @Test
    void missingRepliesAreSaidOnStderr() {
        StringWriter err = new StringWriter();
        Output out = new Output(new PrintWriter(new StringWriter()), new PrintWriter(err), false,
                q -> Optional.empty());
        ControlOptions o = new ControlOptions();
        o.timeout = Duration.ofSeconds(1);
        assertFalse(o.noteMissing(out, Map.of()));
        assertTrue(err.toString().contains("no worker replied within 1s"), err.toString());

        o.destination = List.of("node-a", "node-z");
        Map<String, Control.Reply<String>> one = Map.of("1@h#1", new Control.Reply<>("1@h#1", "node-a", "pong", null));
        assertFalse(o.noteMissing(out, one));
        assertTrue(err.toString().contains("no reply from node-z within 1s"), err.toString());
        o.destination = List.of("1@h#1");
        assertTrue(o.noteMissing(out, one));
    }

    @Test
    void queuesShowTheOldestReadyAge() {
        QueueStats s = new QueueStats("emails", 3, 0, 1, 0, Duration.ofSeconds(75));
        assertEquals("1m15s", QueuesCommand.oldest(s));
        assertEquals("-", QueuesCommand.oldest(new QueueStats("q", 0, 0, 0, 0)));
        assertEquals("PT1M15S", Views.queue(s).get("oldestReadyAge").toString());
    }

    @Test
    void deadLetterFiltersFromOptions() {
        DeadFilterOptions o = new DeadFilterOptions();
        assertFalse(o.any());
        assertEquals("every dead letter", o.describe());
        o.task = "it.boom";
        o.errorType = "java.net.ConnectException";
        o.olderThan = Duration.ofHours(1);
        assertTrue(o.any());
        assertEquals(new DeadLetterFilter("it.boom", "java.net.ConnectException", Duration.ofHours(1), null),
                o.filter());
        assertEquals("task it.boom, error type java.net.ConnectException, dead at least 1h ago", o.describe());
        o.errorType = "a: b";
        assertThrows(IllegalArgumentException.class, o::filter);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Output.Prompt prompt, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TaskqCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), prompt);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void changesToEveryWorkerAndShutdownsAskFirst() {
        Run refused = run(q -> Optional.empty(), "control", "shutdown", "--destination", "node-a");
        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("refusing to shut down node-a without --yes"), refused.err());
        Run pauseAll = run(q -> Optional.empty(), "control", "pause", "emails");
        assertEquals(2, pauseAll.exit());
        assertTrue(pauseAll.err().contains("pause queue 'emails' on every worker"), pauseAll.err());
        Run no = run(q -> Optional.of("n"), "control", "concurrency", "4");
        assertEquals(1, no.exit());
        assertTrue(no.err().contains("not confirmed"), no.err());
        // With a destination, a pause does not ask: it goes on to connect (and there is no Redis here).
        Run pauseOne = run(q -> Optional.empty(), "control", "pause", "emails", "-d", "node-a");
        assertEquals(2, pauseOne.exit());
        assertTrue(pauseOne.err().contains("no Redis configured"), pauseOne.err());
    }

    @Test
    void bulkDeadLetterCommandsNeedAFilterOrAll() {
        for (String[] args : List.of(new String[] {"dead", "resubmit", "q"}, new String[] {"dead", "delete", "q"},
                new String[] {"dead", "delete", "q", "--all", "--task", "x"},
                new String[] {"dead", "resubmit", "q", "id-1", "--task", "x"},
                new String[] {"dead", "delete", "q", "--error-type", "a:b"},
                new String[] {"dead", "delete", "q", "--all", "--limit", "0"},
                new String[] {"dead", "delete", "q", "--older-than", "soon"},
                new String[] {"control", "concurrency", "0", "--yes"},
                new String[] {"inspect"}, new String[] {"control"})) {
            Run r = run(q -> Optional.of("y"), args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("no Redis configured"), String.join(" ", args) + ": " + r.err());
        }
    }

    @Test
    void theNewOptionsParse() {
        CommandLine cmd = TaskqCli.commandLine(Map.of(), q -> Optional.empty());
        CommandLine.ParseResult p = cmd.parseArgs("inspect", "active", "-d", "a,b", "--destination", "c",
                "--timeout", "2s");
        CommandLine.ParseResult active = p.subcommand().subcommand();
        assertEquals(List.of("a", "b", "c"), active.matchedOptionValue("--destination", List.of()));
        assertEquals(Duration.ofSeconds(2), active.matchedOptionValue("--timeout", Duration.ZERO));
        CommandLine.ParseResult dead = cmd.parseArgs("dead", "resubmit", "q", "--task", "t", "--error-type", "E",
                "--older-than", "1h", "--newer-than", "P2D", "--limit", "10").subcommand().subcommand();
        assertEquals(Duration.ofDays(2), dead.matchedOptionValue("--newer-than", Duration.ZERO));
        assertEquals(10L, (long) dead.matchedOptionValue("--limit", 0L));
    }
}
