package io.taskq.cli;

import io.taskq.Control;
import io.taskq.WorkerInfo;
import io.taskq.WorkerTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code taskq inspect ping|active|reserved|registered|stats}: asks the live workers themselves, through remote
 * control ({@code Taskq.control()}), what they do now. Exit code 0 whoever replied, even nobody (said on stderr):
 * inspecting changes nothing, and an empty answer is an answer.
 */
@Command(name = "inspect", description = {
        "Asks the live workers (every one, or --destination) what they do now, through remote control; waits up to"
                + " --timeout for their replies. Exit code 0 even when no worker replied (said on stderr).",
        "Celery: celery inspect ping|active|reserved|registered|stats."})
final class InspectCommand extends CliCommand {

    @Command(name = "ping", description = {"Each worker answers pong.", "Celery: celery inspect ping."})
    int ping(@Mixin ControlOptions options) {
        Map<String, Control.Reply<String>> replies = options.control(taskq()).ping();
        Output out = out();
        if (!out.json()) {
            Table t = new Table("NODE", "ID", "REPLY");
            replies.values().forEach(r -> t.row(r.nodeName(), r.workerId(),
                    r.ok() ? r.value() : "error: " + r.error()));
            out.print(t);
        }
        return finish(out, options, replies, v -> v, false);
    }

    @Command(name = "active", description = {"The tasks each worker runs now: id, task, queue, run time so far,"
            + " attempt, and the arguments if the application shows them (Taskq.Builder.argsRepr).",
            "Celery: celery inspect active."})
    int active(@Mixin ControlOptions options) {
        return tasks(options, options.control(taskq()).active(), true);
    }

    @Command(name = "reserved", description = {"The tasks each worker claimed ahead and holds for a free slot (not"
            + " started).", "Celery: celery inspect reserved."})
    int reserved(@Mixin ControlOptions options) {
        return tasks(options, options.control(taskq()).reserved(), false);
    }

    @Command(name = "registered", description = {"The task names each worker's application registered.",
            "Celery: celery inspect registered."})
    int registered(@Mixin ControlOptions options) {
        Map<String, Control.Reply<List<String>>> replies = options.control(taskq()).registered();
        Output out = out();
        if (!out.json()) {
            Table t = new Table("NODE", "TASK");
            for (Control.Reply<List<String>> r : replies.values()) {
                if (r.ok()) {
                    if (r.value().isEmpty()) {
                        t.row(r.nodeName(), null);
                    }
                    r.value().forEach(name -> t.row(r.nodeName(), name));
                }
            }
            out.print(t);
        }
        return finish(out, options, replies, v -> v, true);
    }

    @Command(name = "stats", description = {"Each worker's registry fields now (queues, paused ones, concurrency,"
            + " counts), not as of its last heartbeat.", "Celery: celery inspect stats / active_queues."})
    int stats(@Mixin ControlOptions options) {
        Map<String, Control.Reply<WorkerInfo>> replies = options.control(taskq()).stats();
        Output out = out();
        if (!out.json()) {
            List<WorkerInfo> infos = replies.values().stream().filter(Control.Reply::ok).map(Control.Reply::value)
                    .toList();
            out.print(WorkersCommand.table(infos, Instant.now()));
        }
        return finish(out, options, replies, Views::worker, true);
    }

    private int tasks(ControlOptions options, Map<String, Control.Reply<List<WorkerTask>>> replies,
                      boolean running) {
        Output out = out();
        if (!out.json()) {
            out.print(taskTable(replies, running));
            long tasks = replies.values().stream().filter(Control.Reply::ok).mapToLong(r -> r.value().size()).sum();
            if (!replies.isEmpty()) {
                out.note(replies.size() + " worker(s) replied, " + tasks + (running ? " running" : " held")
                        + " task(s)");
            }
        }
        return finish(out, options, replies, v -> v.stream().map(Views::workerTask).toList(), true);
    }

    /**
     * The tasks of every worker that replied, one row each with its worker's node: id, task, queue, run time
     * ({@code active} only), attempt, and the arguments when any task shows them.
     */
    static Table taskTable(Map<String, Control.Reply<List<WorkerTask>>> replies, boolean running) {
        List<WorkerTask> all = new ArrayList<>();
        replies.values().stream().filter(Control.Reply::ok).forEach(r -> all.addAll(r.value()));
        boolean args = all.stream().anyMatch(t -> t.args() != null);
        List<String> headers = new ArrayList<>(List.of("NODE", "ID", "TASK", "QUEUE"));
        if (running) {
            headers.add("RUNTIME");
        }
        headers.add("ATTEMPT");
        if (args) {
            headers.add("ARGS");
        }
        Table t = new Table(headers.toArray(String[]::new));
        for (Control.Reply<List<WorkerTask>> r : replies.values()) {
            if (!r.ok()) {
                continue;
            }
            for (WorkerTask w : r.value()) {
                List<Object> row = new ArrayList<>(List.of(r.nodeName(), w.id(), w.name(), w.queue()));
                if (running) {
                    row.add(w.runtime() == null ? null : Formats.duration(w.runtime()));
                }
                row.add(w.attempt());
                if (args) {
                    row.add(w.args() == null ? null : Formats.abbreviate(w.args(), 200));
                }
                t.row(row.toArray());
            }
        }
        return t;
    }

    /**
     * The end of every inspect command: the replies as JSON with --json; the error replies on stderr (unless the
     * table showed them) and who did not reply. Always exit code 0.
     */
    private static <T> int finish(Output out, ControlOptions options, Map<String, Control.Reply<T>> replies,
                                  Function<T, Object> view, boolean noteErrors) {
        if (out.json()) {
            out.printJson(replies.values().stream().map(r -> Views.reply(r, view)).toList());
        }
        if (noteErrors || out.json()) {
            replies.values().stream().filter(r -> !r.ok())
                    .forEach(r -> out.note(ControlOptions.label(r) + ": error: " + r.error()));
        }
        options.noteMissing(out, replies);
        return ExitCode.OK;
    }
}
