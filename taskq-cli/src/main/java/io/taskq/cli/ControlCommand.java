package io.taskq.cli;

import io.taskq.Control;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskq control pause|resume|concurrency|shutdown}: steers the live workers through remote control
 * ({@code Taskq.control()}). A change to every worker (no {@code --destination}) and every shutdown asks first, as
 * the destructive commands do. One result line per worker that replied; exit code 1 when a worker replied with an
 * error, when nobody replied, or when a named destination did not.
 */
@Command(name = "control", description = {
        "Steers the live workers (every one, or --destination) through remote control: pause or resume a queue,"
                + " change the concurrency, shut down. Without --destination (and for every shutdown) it asks"
                + " first, or needs --yes. Exit code 1 if a worker replied with an error or did not reply.",
        "Celery: celery control cancel_consumer|add_consumer|pool_grow|pool_shrink|shutdown."})
final class ControlCommand extends CliCommand {
    private static final String YES = "Do not ask; required without a terminal when it asks.";

    @Command(name = "pause", description = {"Each worker stops claiming from the queue (running tasks go on)."
            + " A worker that does not consume it replies with an error.", "Celery: celery control cancel_consumer."})
    int pause(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
              @Mixin ControlOptions options,
              @Option(names = {"-y", "--yes"}, description = YES) boolean yes) {
        return onQueue(queue, options, yes, "pause", Control::pause, "paused queue '" + queue + "'",
                "queue '" + queue + "' was paused already");
    }

    @Command(name = "resume", description = {"Each worker claims from the queue again.",
            "Celery: celery control add_consumer (of a queue the worker consumes)."})
    int resume(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
               @Mixin ControlOptions options,
               @Option(names = {"-y", "--yes"}, description = YES) boolean yes) {
        return onQueue(queue, options, yes, "resume", Control::resume, "resumed queue '" + queue + "'",
                "queue '" + queue + "' was not paused");
    }

    /** Pause or resume: asked, sent, reported ({@code changed} or {@code unchanged} per worker). */
    private int onQueue(String queue, ControlOptions options, boolean yes, String verb,
                        BiFunction<Control, String, Map<String, Control.Reply<Boolean>>> call, String changed,
                        String unchanged) {
        if (!confirm(options, yes, verb + " queue '" + queue + "'")) {
            return ExitCode.ERROR;
        }
        return report(options, call.apply(options.control(taskq()), queue), c -> c ? changed : unchanged);
    }

    @Command(name = "concurrency", description = {"Each worker runs N tasks at once from now on (nothing running"
            + " is interrupted).", "Celery: celery control pool_grow / pool_shrink / autoscale."})
    int concurrency(@Parameters(paramLabel = "N", description = "Tasks at once, at least 1.") int n,
                    @Mixin ControlOptions options,
                    @Option(names = {"-y", "--yes"}, description = YES) boolean yes) {
        if (n < 1) {
            throw new CliFailure(ExitCode.USAGE, "the concurrency must be at least 1, was " + n);
        }
        if (!confirm(options, yes, "set the concurrency to " + n)) {
            return ExitCode.ERROR;
        }
        return report(options, options.control(taskq()).setConcurrency(n),
                before -> "concurrency " + before + " -> " + n);
    }

    @Command(name = "shutdown", description = {"Each worker closes gracefully: it stops claiming, lets running"
            + " tasks finish within its grace period and hands the rest back; its process goes on. Always asks"
            + " first, or needs --yes.", "Celery: celery control shutdown."})
    int shutdown(@Mixin ControlOptions options,
                 @Option(names = {"-y", "--yes"}, description = YES) boolean yes) {
        if (!out().confirm(yes, "shut down " + options.whom())) {
            return ExitCode.ERROR;
        }
        return report(options, options.control(taskq()).shutdown(), ok -> "shutting down");
    }

    /** Asks before a change to every worker (a named destination is asked for already). */
    private boolean confirm(ControlOptions options, boolean yes, String action) {
        return !options.everyWorker() || out().confirm(yes, action + " on every worker");
    }

    /**
     * The replies: as JSON with --json, else one line per worker ({@code node (id): what it did} or {@code error:
     * ...}); who did not reply on stderr. Exit code 1 for an error reply or a missing one.
     */
    private <T> int report(ControlOptions options, Map<String, Control.Reply<T>> replies, Function<T, String> done) {
        Output out = out();
        if (out.json()) {
            out.printJson(replies.values().stream().map(r -> Views.reply(r, v -> v)).toList());
        } else {
            replies.values().forEach(r -> out.println(line(r, done)));
        }
        boolean allReplied = options.noteMissing(out, replies);
        boolean errors = replies.values().stream().anyMatch(r -> !r.ok());
        return allReplied && !errors ? ExitCode.OK : ExitCode.ERROR;
    }

    /** One worker's result line. */
    static <T> String line(Control.Reply<T> r, Function<T, String> done) {
        return ControlOptions.label(r) + ": " + (r.ok() ? done.apply(r.value()) : "error: " + r.error());
    }
}
